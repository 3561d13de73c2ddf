/**
 * A journey server on a redis-server of its own, for tests that stop, pause or reconfigure Redis,
 * or that spend the per-IP budget of 127.0.0.1. Not a test file itself.
 */
import { startRedisServer, type RedisServerHandle } from '../../support/redis-server.mjs';
import type { TestServer } from '../../support/test-server.js';
import { startJourneyServer } from './journey-kit.js';

export interface PrivateRedisServer {
  readonly server: TestServer;
  redis: RedisServerHandle;
  close(): Promise<void>;
}

/** Like startJourneyServer, with `config` merged over its base, on a fresh redis-server. */
export async function startOnPrivateRedis(config: Record<string, unknown> = {}): Promise<PrivateRedisServer> {
  const redis = await startRedisServer();
  const server = await startJourneyServer(config, { RENKEI_REDIS_URL: redis.url });
  const handle: PrivateRedisServer = {
    server,
    redis,
    async close() {
      await server.close();
      await handle.redis.stop();
    },
  };
  return handle;
}
