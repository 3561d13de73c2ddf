/**
 * A journey server on a redis-server of its own, for tests that stop, pause or reconfigure Redis,
 * or that spend the per-IP budget of 127.0.0.1. Not a test file itself.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedisServer, type RedisServerHandle } from '../../support/redis-server.mjs';
import { startTestServer, type TestServer } from '../../support/test-server.js';

export interface PrivateRedisServer {
  readonly server: TestServer;
  redis: RedisServerHandle;
  close(): Promise<void>;
}

/** Like startJourneyServer, with `config` merged over its base, on a fresh redis-server. */
export async function startOnPrivateRedis(config: Record<string, unknown> = {}): Promise<PrivateRedisServer> {
  const redis = await startRedisServer();
  const dir = mkdtempSync(join(tmpdir(), 'renkei-private-redis-'));
  const file = join(dir, 'config.json');
  const base = { server: { trustProxy: true }, throttle: { failuresPerIp: 10_000, windowSeconds: 600 } };
  writeFileSync(file, JSON.stringify({ ...base, ...config, server: { ...base.server, ...(config.server as object | undefined) } }));
  const server = await startTestServer({ env: { RENKEI_CONFIG: file, RENKEI_REDIS_URL: redis.url } });
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
