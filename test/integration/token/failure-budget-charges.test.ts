/**
 * The failure budget is read from Redis only for IPs and clients charged within the window: every
 * instance hears each charge (pub/sub) before it can matter, and one that starts listening later
 * reads the charges made before. Refusals stay immediate on every instance.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomInt, randomUUID } from 'node:crypto';
import { basicAuth, postForm, REDIRECT_URI, registerClient, type TestClient } from '../../support/oauth-fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { startRedisServer, type RedisServerHandle } from '../../support/redis-server.mjs';
import { monitorRedis } from '../../support/redis-connection.js';

const PER_CLIENT = 2;
const config = { server: { trustProxy: true }, clientThrottle: { failuresPerClient: PER_CLIENT, failuresPerIp: 50, windowSeconds: 60 } };

let first: TestServer;
let second: TestServer;
// a redis-server of its own: MONITOR sees every client, and files run in parallel read budgets too
let redis: RedisServerHandle;
let env: Record<string, string>;
beforeAll(async () => {
  redis = await startRedisServer();
  env = { RENKEI_REDIS_URL: redis.url };
  [first, second] = await Promise.all([startTestServer({ config, env }), startTestServer({ config, env })]);
});
afterAll(async () => {
  await Promise.all([first.close(), second.close()]);
  await redis.stop();
});

const freshIp = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
const unknownCode = () => ({ grant_type: 'authorization_code', code: randomUUID(), code_verifier: 'v'.repeat(43), redirect_uri: REDIRECT_URI });
const token = (server: TestServer, ip: string, client: TestClient) =>
  postForm(`${server.issuer}/token`, unknownCode(), { 'x-forwarded-for': ip, authorization: basicAuth(client) });

/** The budget commands (MGET of the rate-limiter keys) Redis receives while `action` runs. */
async function budgetReads(action: () => Promise<unknown>): Promise<number> {
  const monitor = await monitorRedis(redis.url);
  let reads = 0;
  monitor.on('monitor', (_time: string, args: string[]) => {
    if (String(args[0]).toLowerCase() === 'mget' && String(args[1]).includes('{client-throttle}')) reads++;
  });
  try {
    await new Promise((resolve) => setTimeout(resolve, 50));
    await action();
    await new Promise((resolve) => setTimeout(resolve, 50));
  } finally {
    monitor.disconnect();
  }
  return reads;
}

describe('failure budgets read only once charged', () => {
  it('does not read the budget of an IP and client never charged; reads it on every instance once charged, and refuses there at once', async () => {
    const client = await registerClient(first);
    const ip = freshIp();
    expect(await budgetReads(() => token(second, ip, client))).toBe(0);

    // that request was itself a failure (invalid_grant): charged, so read from now on, on both instances
    expect(await budgetReads(() => token(first, ip, client))).toBe(1);
    const refused = await token(second, freshIp(), client);
    expect([refused.status, refused.json.error]).toEqual([429, 'too_many_requests']);
  });

  it('refuses at once on an instance started after the charges (it reads the charges made before it listened)', async () => {
    const client = await registerClient(first);
    for (let i = 0; i < PER_CLIENT; i++) expect((await token(first, freshIp(), client)).status).toBe(400);
    const late = await startTestServer({ config, env });
    try {
      const refused = await token(late, freshIp(), client);
      expect([refused.status, refused.json.error]).toEqual([429, 'too_many_requests']);
    } finally {
      await late.close();
    }
  });
});
