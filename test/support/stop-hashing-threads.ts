import { afterAll } from '@jest/globals';
import { stopHashingThreads } from '../../src/accounts/secret-hash.js';

// Each test file gets its own copy of secret-hash.ts and so its own hashing threads; a jest worker
// runs many files, and threads left idle by earlier files slowed its exit past jest's limit
// ("A worker process has failed to exit gracefully").
afterAll(() => stopHashingThreads());
