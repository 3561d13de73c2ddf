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
