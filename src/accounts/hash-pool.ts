import { availableParallelism } from 'node:os';
import { Argon2idWorkers } from './argon2id-workers.js';
import { ARGON2ID_PARAMETERS, ARGON2ID_TAG_LENGTH, formatArgon2id, newArgon2idSalt } from './secret-hash.js';

/**
 * Argon2id hashing on worker threads of its own (one per core), for bulk work (an import of
 * plain-text secrets) that closes them when done.
 */
export class HashPool {
  private readonly workers: Argon2idWorkers;

  constructor(readonly size = availableParallelism()) {
    this.workers = new Argon2idWorkers(size);
  }

  /** Our Argon2id PHC string of the secret, as hashSecret makes it. */
  async hash(secret: string): Promise<string> {
    const salt = newArgon2idSalt();
    const key = await this.workers.derive({ secret, salt, ...ARGON2ID_PARAMETERS, tagLength: ARGON2ID_TAG_LENGTH });
    return formatArgon2id(salt, key);
  }

  /** Ends the workers (pending hashes fail). */
  close(): Promise<void> {
    return this.workers.close();
  }
}
