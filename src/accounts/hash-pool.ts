import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { ARGON2ID_PARAMETERS, ARGON2ID_TAG_LENGTH, formatArgon2id, newArgon2idSalt } from './secret-hash.js';

// Plain JavaScript evaluated in the worker, so the pool works the same from dist/ and from the
// TypeScript sources under test. argon2Sync runs on the worker's own thread: the async argon2
// would queue on libuv's shared pool (4 threads, also serving fs and DNS) instead.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { argon2Sync } = require('node:crypto');
parentPort.on('message', ({ id, message, nonce, memory, passes, parallelism, tagLength }) => {
  try {
    const key = argon2Sync('argon2id', { message, nonce, memory, passes, parallelism, tagLength });
    parentPort.postMessage({ id, key });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message) });
  }
});
`;

interface Job {
  readonly id: number;
  readonly secret: string;
  readonly salt: Buffer;
  resolve(hash: string): void;
  reject(error: Error): void;
}

interface PoolWorker {
  readonly worker: Worker;
  job: Job | undefined;
}

/**
 * Argon2id hashing on one worker thread per core, for bulk work (an import of plain-text secrets)
 * that would otherwise hold the event loop or libuv's small pool. Workers start on first use and keep
 * the process alive only while they hash.
 */
export class HashPool {
  private readonly workers: PoolWorker[] = [];
  private readonly queue: Job[] = [];
  private nextId = 0;

  constructor(readonly size = availableParallelism()) {}

  /** Our Argon2id PHC string of the secret, as hashSecret makes it. */
  hash(secret: string): Promise<string> {
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, secret, salt: newArgon2idSalt(), resolve, reject });
      this.dispatch();
    });
  }

  /** Ends the workers (pending hashes fail). */
  async close(): Promise<void> {
    const workers = this.workers.splice(0);
    const pending = [...workers.flatMap((w) => (w.job ? [w.job] : [])), ...this.queue.splice(0)];
    for (const job of pending) job.reject(new Error('hash pool closed'));
    await Promise.all(workers.map(({ worker }) => worker.terminate()));
  }

  private dispatch(): void {
    while (this.queue.length) {
      const idle = this.workers.find((w) => !w.job) ?? (this.workers.length < this.size ? this.spawn() : undefined);
      if (!idle) return;
      const job = this.queue.shift()!;
      idle.job = job;
      idle.worker.ref();
      const { memoryKiB: memory, passes, parallelism } = ARGON2ID_PARAMETERS;
      idle.worker.postMessage({ id: job.id, message: Buffer.from(job.secret, 'utf8'), nonce: job.salt, memory, passes, parallelism, tagLength: ARGON2ID_TAG_LENGTH });
    }
  }

  private spawn(): PoolWorker {
    const entry: PoolWorker = { worker: new Worker(WORKER_SOURCE, { eval: true }), job: undefined };
    entry.worker.unref();
    entry.worker.on('message', (answer: { id: number; key?: Uint8Array; error?: string }) => {
      const job = entry.job;
      entry.job = undefined;
      entry.worker.unref();
      if (job && job.id === answer.id) {
        if (answer.key) job.resolve(formatArgon2id(job.salt, Buffer.from(answer.key)));
        else job.reject(new Error(`argon2id failed: ${answer.error}`));
      }
      this.dispatch();
    });
    entry.worker.on('error', (error) => {
      entry.job?.reject(error);
      this.workers.splice(this.workers.indexOf(entry), 1);
      this.dispatch();
    });
    this.workers.push(entry);
    return entry;
  }
}
