import { afterAll, describe, expect, it } from '@jest/globals';
import { DEMO_CLIENT_ID, DEMO_CUSTOMER } from '../../../src/demo/seed-demo.js';
import { basicAuth, postForm } from '../../support/oauth-fixtures.js';
import { freePort, startRedisServer, type RedisServerHandle } from '../../support/redis-server.mjs';
import { startTestServer, type TestServer } from '../../support/test-server.js';

let server: TestServer | undefined;
let redis: RedisServerHandle | undefined;
afterAll(async () => {
  await server?.close();
  await redis?.stop();
});

async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('development with RENKEI_DEMO=1 while Redis is not up yet', () => {
  it('starts, answers /readyz 503 with Retry-After, and seeds the demo once Redis answers', async () => {
    const port = await freePort();
    server = await startTestServer({ config: { redis: { connectTimeoutMs: 200 } }, env: { RENKEI_DEMO: '1', RENKEI_REDIS_URL: `redis://127.0.0.1:${port}` } });

    const waiting = await fetch(`${server.issuer}/readyz`);
    expect(waiting.status).toBe(503);
    expect(Number(waiting.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await fetch(`${server.issuer}/demo`)).status).toBe(200);

    redis = await startRedisServer(port);
    await eventually(async () => ((await fetch(`${server!.issuer}/readyz`)).status === 200 ? true : undefined));
    const customer = await eventually(() => server!.app.customers.findByLoginId(DEMO_CUSTOMER.loginId).then((c) => c ?? undefined));
    expect(customer).toBeTruthy();
    const demo = await eventually(async () => (server!.app.demo?.clientSecret ? server!.app.demo : undefined));

    // the demo partner authenticates with the secret the server now holds: its code is refused, not the client
    const token = await postForm(`${server.issuer}/token`, { grant_type: 'authorization_code', code: 'nope', redirect_uri: demo.redirectUri, code_verifier: 'x'.repeat(43) }, {
      authorization: basicAuth({ clientId: DEMO_CLIENT_ID, clientSecret: demo.clientSecret }),
    });
    expect(token.json.error).toBe('invalid_grant');
    expect(server.logs.events().filter((line) => line.event === 'demo.seeded')).toHaveLength(1);
  });
});
