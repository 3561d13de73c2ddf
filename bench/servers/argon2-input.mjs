// What the bench hashes where a customer's secret would be: renkei's Argon2id parameters and tag
// length, a fresh salt each time. Used for the core's own rate (argon2.mjs) and for the bare
// flow's login (baseline/server.mjs), so that both hash exactly what renkei does.
import { randomBytes } from 'node:crypto';
import { ARGON2ID_PARAMETERS, ARGON2ID_TAG_LENGTH } from '../../dist/src/accounts/secret-hash.js';

const { memoryKiB: memory, passes, parallelism } = ARGON2ID_PARAMETERS;

/** The parameters of node:crypto's argon2 / argon2Sync for one hash. */
export const argon2idInput = () => ({ message: Buffer.from('correct horse 2026'), nonce: randomBytes(16), memory, passes, parallelism, tagLength: ARGON2ID_TAG_LENGTH });
