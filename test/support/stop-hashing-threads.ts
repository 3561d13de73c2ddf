import { afterAll } from '@jest/globals';
import { stopHashingThreads } from '../../src/accounts/secret-hash.js';

// Each test file gets its own copy of secret-hash.ts and so its own hashing threads; a jest worker
// runs many files, and threads left running by earlier files would pile up in it (10–40 a worker),
// each keeping its file's modules alive.
afterAll(() => stopHashingThreads());
