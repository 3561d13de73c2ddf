import { Worker } from 'node:worker_threads';

// Plain JavaScript evaluated in the worker, so the workers run the same from dist/ and from the
// TypeScript sources under test.
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

export interface Argon2idInput {
  readonly secret: string;
  readonly salt: Buffer;
  readonly memoryKiB: number;
  readonly passes: number;
  readonly parallelism: number;
  readonly tagLength: number;
}

interface Job {
  readonly id: number;
  readonly input: Argon2idInput;
  resolve(key: Buffer): void;
  reject(error: Error): void;
}

interface PoolWorker {
  readonly worker: Worker;
  job: Job | undefined;
}

/**
 * Argon2id on worker threads of our own, each deriving one key at a time with argon2Sync, at most
 * `size()` at once (read at each dispatch: e.g. the cores this process may use now); the rest
 * queue in arrival order. Why not the async argon2 on libuv's pool: successive hashes there land
 * on its four threads in turn, each with its own malloc arena, so each hash works in 19 MiB that
 * is cold again, about 20 % more CPU a hash than on a thread that keeps reusing its memory; and
 * the pool also serves file and DNS work. Workers start on first use and keep the process alive
 * only while they hash.
 */
export class Argon2idWorkers {
  private readonly workers: PoolWorker[] = [];
  private readonly queue: Job[] = [];
  private nextId = 0;
  private readonly size: () => number;

  constructor(size: number | (() => number)) {
    this.size = typeof size === 'number' ? () => size : size;
  }

  derive(input: Argon2idInput): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, input, resolve, reject });
      this.dispatch();
    });
  }

  /** Ends the workers; pending derivations fail. */
  async close(): Promise<void> {
    const workers = this.workers.splice(0);
    const pending = [...workers.flatMap((w) => (w.job ? [w.job] : [])), ...this.queue.splice(0)];
    for (const job of pending) job.reject(new Error('hash pool closed'));
    await Promise.all(workers.map(({ worker }) => worker.terminate()));
  }

  private dispatch(): void {
    while (this.queue.length) {
      const limit = Math.max(1, this.size());
      if (this.workers.filter((w) => w.job).length >= limit) return;
      let idle: PoolWorker;
      try {
        idle = this.workers.find((w) => !w.job) ?? this.spawn();
      } catch (error) {
        // no thread could be started (out of memory or threads): this job fails, the next may fare better
        this.queue.shift()!.reject(error as Error);
        continue;
      }
      const job = this.queue.shift()!;
      idle.job = job;
      idle.worker.ref();
      const { secret, salt, memoryKiB, passes, parallelism, tagLength } = job.input;
      idle.worker.postMessage({ id: job.id, message: Buffer.from(secret, 'utf8'), nonce: salt, memory: memoryKiB, passes, parallelism, tagLength });
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
        if (answer.key) job.resolve(Buffer.from(answer.key));
        else job.reject(new Error(`argon2id failed: ${answer.error}`));
      }
      this.dispatch();
    });
    const lost = (error: Error) => {
      const index = this.workers.indexOf(entry);
      if (index < 0) return;
      this.workers.splice(index, 1);
      entry.job?.reject(error);
      entry.job = undefined;
      this.dispatch();
    };
    entry.worker.on('error', lost);
    entry.worker.on('exit', (code) => lost(new Error(`argon2id worker exited (${code})`)));
    this.workers.push(entry);
    return entry;
  }
}
