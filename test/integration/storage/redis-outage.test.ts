import { createServer, type Server } from 'node:net';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { basicAuth, postForm, REDIRECT_URI } from '../../support/oauth-fixtures.js';
import { freePort, startRedisServer, type RedisServerHandle } from '../../support/redis-server.mjs';
import { startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../../support/test-server.js';

let redis: RedisServerHandle;
let server: TestServer;

beforeAll(async () => {
  redis = await startRedisServer();
  server = await startTestServer({ env: { RENKEI_REDIS_URL: redis.url } });
});
afterAll(async () => {
  await server.close();
  await redis.stop();
});

async function waitForStatus(url: string, status: number, timeoutMs: number): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await fetch(url);
    if (response.status === status || Date.now() > deadline) return response;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('when Redis goes away and comes back (SPEC §7)', () => {
  it('reports unready with a reason, answers 503 promptly, and recovers by itself', async () => {
    expect((await fetch(`${server.issuer}/readyz`)).status).toBe(200);

    await redis.stop();

    const unready = await waitForStatus(`${server.issuer}/readyz`, 503, 5000);
    expect(unready.status).toBe(503);
    const body = (await unready.json()) as { status: string; reason: string };
    expect(body.status).toBe('unavailable');
    expect(body.reason).toMatch(/^redis: /);
    expect((await fetch(`${server.issuer}/healthz`)).status).toBe(200);

    const started = Date.now();
    const token = await postForm(
      `${server.issuer}/token`,
      { grant_type: 'authorization_code', code: 'abc', code_verifier: 'x'.repeat(43), redirect_uri: REDIRECT_URI },
      { authorization: basicAuth({ clientId: 'some-client', clientSecret: 'secret' }) },
    );
    expect(Date.now() - started).toBeLessThan(3000);
    expect([token.status, token.json.error]).toEqual([503, 'temporarily_unavailable']);

    const page = await fetch(`${server.issuer}/auth?client_id=some-client&response_type=code&scope=openid&redirect_uri=${encodeURIComponent(REDIRECT_URI)}`);
    expect(page.status).toBe(503);
    const html = await page.text();
    expect(html).toContain('ただいまサービスをご利用いただけません');
    expect(html).not.toMatch(/Error:|node_modules|ECONNREFUSED|Connection is closed/);

    // operators get the same answer from the admin API, with the wait
    const admin = await fetch(`${server.adminUrl}/admin/v1/clients`, { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } });
    expect(admin.status).toBe(503);
    expect(admin.headers.get('retry-after')).toBe('5');
    expect(((await admin.json()) as { error: string }).error).toBe('temporarily_unavailable');

    redis = await startRedisServer(redis.port);
    const ready = await waitForStatus(`${server.issuer}/readyz`, 200, 10000);
    expect(ready.status).toBe(200);
  });
});

describe('stopping while Redis is down', () => {
  it('ends every Redis connection: none goes on trying to reconnect after close()', async () => {
    const port = await freePort();
    const ownRedis = await startRedisServer(port);
    const stopping = await startTestServer({ env: { RENKEI_REDIS_URL: ownRedis.url } });
    await ownRedis.stop();
    // a listener in Redis's place counts the connection attempts and drops each one
    let attempts = 0;
    const standIn: Server = createServer((socket) => {
      attempts++;
      socket.destroy();
    });
    standIn.listen(port, '127.0.0.1');
    await once(standIn, 'listening');
    try {
      const deadline = Date.now() + 5000;
      while (attempts === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(attempts).toBeGreaterThan(0);

      await stopping.close();
      const attemptsAtClose = attempts;
      // ioredis waits at most 2 s between attempts (renkei's retryStrategy): a connection still
      // trying shows within that; there is no event to wait for when nothing happens
      await new Promise((resolve) => setTimeout(resolve, 2500));
      expect(attempts - attemptsAtClose).toBe(0);
    } finally {
      standIn.close();
    }
  });
});
