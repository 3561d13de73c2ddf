import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedisServer } from './redis-server.mjs';

/** One redis-server for the whole run (never the shared 6379) and a directory for test keys. */
export default async function globalSetup() {
  const redis = await startRedisServer();
  globalThis.__RENKEI_TEST_REDIS__ = redis;
  process.env.RENKEI_TEST_REDIS_URL = redis.url;
  // created by the first test that needs keys (test-server.ts), so that it appears complete
  process.env.RENKEI_TEST_KEYS_DIR = join(mkdtempSync(join(tmpdir(), 'renkei-test-keys-')), 'keys');
}
