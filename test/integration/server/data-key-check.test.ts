/**
 * /readyz and the data keys: an instance whose keys/data-keys.json cannot open what its Redis holds
 * (a restore with another key backup, a wrong keys directory) is not ready, instead of serving
 * while no 利用者番号 or client secret can be opened. On a Redis of its own: the test seals a value there.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDataKey, generateKeyFiles } from '../../../src/keys/generate-keys.js';
import { startRedisServer, type RedisServerHandle } from '../../support/redis-server.mjs';
import { startTestServer, testKeysDir, type TestServer } from '../../support/test-server.js';

const MISMATCH = 'the data keys (data-keys.json) cannot open what this store holds: they are not the keys its records were sealed with';

let redis: RedisServerHandle;
const servers: TestServer[] = [];
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
  await redis.stop();
});

async function serverWithKeys(keysDir: string): Promise<TestServer> {
  const server = await startTestServer({ env: { RENKEI_REDIS_URL: redis.url, RENKEI_KEYS_DIR: keysDir } });
  servers.push(server);
  return server;
}

const readiness = async (server: TestServer) => {
  const response = await fetch(`${server.issuer}/readyz`);
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: await response.json() };
};

/** A copy of the run's keys whose data-keys.json starts with a new data key (a rotation keeps the old ones). */
async function rotatedKeysDir(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'renkei-rotated-'));
  cpSync(await testKeysDir(), dir, { recursive: true });
  const file = join(dir, 'data-keys.json');
  const { keys } = JSON.parse(readFileSync(file, 'utf8')) as { keys: unknown[] };
  writeFileSync(file, JSON.stringify({ keys: [generateDataKey(), ...keys] }), { mode: 0o600 });
  return dir;
}

describe('/readyz and the data keys', () => {
  it('is 503 with the reason for an instance whose data keys cannot open what the store holds, and logs it once', async () => {
    const first = await serverWithKeys(await testKeysDir());
    expect(await readiness(first)).toEqual({ status: 200, retryAfter: null, body: { status: 'ready', store: 'redis' } });

    const otherKeys = mkdtempSync(join(tmpdir(), 'renkei-other-keys-'));
    await generateKeyFiles(otherKeys);
    const stranger = await serverWithKeys(otherKeys);
    expect(await readiness(stranger)).toEqual({ status: 503, retryAfter: expect.any(String), body: { status: 'unavailable', store: 'redis', reason: MISMATCH } });
    expect(await readiness(stranger)).toMatchObject({ status: 503 });
    expect(stranger.logs.events().filter((line) => line.event === 'data_keys.mismatch')).toHaveLength(1);
    // the first instance is not disturbed
    expect((await readiness(first)).status).toBe(200);
  });

  it('follows a data key rotation: the new key first, the old ones kept, opens it and seals it anew; keys without the new one no longer do', async () => {
    const rotated = await serverWithKeys(await rotatedKeysDir());
    expect((await readiness(rotated)).status).toBe(200);
    const withoutNewKey = await serverWithKeys(await testKeysDir());
    expect(await readiness(withoutNewKey)).toMatchObject({ status: 503, body: { reason: MISMATCH } });
  });
});
