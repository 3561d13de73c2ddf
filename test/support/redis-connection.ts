import { Redis } from 'ioredis';
import { pino } from 'pino';
import { createRedisConnection, type RedisConnection } from '../../src/storage/redis-connection.js';

/**
 * renkei's own Redis connection (fail-fast options, one write per turn) to a test Redis: a single
 * node, 2 s timeouts, a silent logger. The run's redis-server unless `url` names another.
 */
export function connectTestRedis(url = process.env.RENKEI_TEST_REDIS_URL!): RedisConnection {
  return createRedisConnection(
    { url, mode: 'single', sentinelName: null, commandTimeoutMs: 2000, connectTimeoutMs: 2000, slotMigrationWaitMs: 10_000 },
    pino({ level: 'silent' }),
  );
}

/** ioredis' report of a reply it has no command for (DataHandler.shiftCommand). */
const QUEUE_STATE_ERROR = 'Command queue state error';

/**
 * A MONITOR connection to `url`, resolved once it monitors. A command another client runs just as
 * MONITOR begins can reach ioredis before it has switched the connection to monitoring; it then
 * reports that line as a "Command queue state error" (an 'error' event, thrown when nothing
 * listens). Such a line is from before this resolved, which no test counts, so that error alone is
 * passed over; any other is thrown as it would be without a listener.
 */
export async function monitorRedis(url: string): Promise<Redis> {
  const monitor = new Redis(url, { monitor: true });
  monitor.on('error', (error: Error) => {
    if (!error.message.startsWith(QUEUE_STATE_ERROR)) throw error;
  });
  await new Promise((resolve) => monitor.once('monitoring', resolve));
  return monitor;
}
