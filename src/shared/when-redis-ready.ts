import type { Logger } from 'pino';
import type { RedisConnection } from '../storage/redis-connection.js';

const RETRY_MS = 1000;

/**
 * Runs `task` once Redis answers (now, or after it comes back), retrying until it succeeds once.
 * Returns a function that stops waiting.
 */
export function runWhenRedisReady(redis: RedisConnection, name: string, task: () => Promise<void>, logger: Logger): () => void {
  let finished = false;
  let running = false;
  const stop = () => {
    finished = true;
    redis.off('ready', attempt);
    clearInterval(retry);
  };
  async function attempt(): Promise<void> {
    if (finished || running || redis.status !== 'ready') return;
    running = true;
    try {
      await task();
      stop();
    } catch (error) {
      logger.warn({ event: 'startup.task_failed', task: name, err: { message: (error as Error).message } }, `${name} failed; retrying while Redis answers`);
    } finally {
      running = false;
    }
  }
  redis.on('ready', attempt);
  const retry = setInterval(() => void attempt(), RETRY_MS);
  retry.unref();
  void attempt();
  return stop;
}
