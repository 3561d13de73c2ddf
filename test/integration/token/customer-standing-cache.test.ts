/**
 * Each instance holds customers' standings (sub and status) for the token and userinfo paths and
 * drops them on every instance when a customer record is written (a Redis pub/sub channel shared
 * with the client changes): a lock made through another instance (the admin API the CLI uses)
 * stops that customer's userinfo and refresh at once, also after the instance lost its channel
 * connection (messages sent meanwhile are lost, so it reads through until it hears again).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { basicAuth, issueCode, postForm, REDIRECT_URI, registerClient, seedCustomer, type TestClient } from '../../support/oauth-fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { eventually } from '../../support/eventually.js';

let first: TestServer;
let second: TestServer;
let client: TestClient;
beforeAll(async () => {
  [first, second] = await Promise.all([startTestServer(), startTestServer()]);
  client = await registerClient(first);
});
afterAll(async () => {
  await Promise.all([first.close(), second.close()]);
});

interface Tokens {
  readonly accessToken: string;
  readonly refreshToken: string;
}

/** Tokens for the customer, issued by the second instance. */
async function tokensFor(sub: string): Promise<Tokens> {
  const { code, verifier } = await issueCode(second, client, sub, 'openid offline_access accounts');
  const issued = await postForm(`${second.issuer}/token`, { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT_URI }, { authorization: basicAuth(client) });
  expect(issued.status).toBe(200);
  return { accessToken: String(issued.json.access_token), refreshToken: String(issued.json.refresh_token) };
}

const userinfo = async (server: TestServer, accessToken: string) => {
  const response = await fetch(`${server.issuer}/me`, { headers: { authorization: `Bearer ${accessToken}` } });
  await response.text();
  return response.status;
};
const refresh = async (server: TestServer, refreshToken: string) =>
  (await postForm(`${server.issuer}/token`, { grant_type: 'refresh_token', refresh_token: refreshToken }, { authorization: basicAuth(client) })).status;

const adminApi = (server: TestServer, path: string, method = 'POST') =>
  fetch(`${server.adminUrl}/admin/v1${path}`, { method, headers: { authorization: `Bearer ${server.adminToken.token}` } });

describe('customer standings cached per instance', () => {
  it('stops userinfo and refresh on the other instance when the customer is locked through the admin API, and serves again once unlocked', async () => {
    const sub = await seedCustomer(first);
    const { accessToken, refreshToken } = await tokensFor(sub);
    // the second instance holds the customer's standing
    expect(await userinfo(second, accessToken)).toBe(200);
    expect(await userinfo(second, accessToken)).toBe(200);

    const loginId = (await first.app.customers.findBySub(sub))!.loginId;
    expect((await adminApi(first, `/users/${loginId}/lock`)).status).toBe(200);
    expect(await eventually(() => userinfo(second, accessToken), 401)).toBe(401);
    expect(await refresh(second, refreshToken)).toBe(400);

    expect((await adminApi(first, `/users/${loginId}/unlock`)).status).toBe(200);
    expect(await eventually(() => userinfo(second, accessToken), 200)).toBe(200);
    expect(await refresh(second, refreshToken)).toBe(200);
  });

  it('introspection on the other instance answers active: false for a locked customer’s token, to the partner and to a resource server (RFC 7662 §2.2)', async () => {
    const sub = await seedCustomer(first);
    const { accessToken } = await tokensFor(sub);
    const { record, clientSecret } = await first.app.clients.create({ client_name: '勘定系API ゲートウェイ', redirect_uris: [], resource_server: true });
    const gateway = { clientId: record.client_id, clientSecret };
    const introspect = async (caller: TestClient) =>
      (await postForm(`${second.issuer}/token/introspection`, { token: accessToken }, { authorization: basicAuth(caller) })).json;
    expect(await introspect(client)).toMatchObject({ active: true, sub });
    expect(await introspect(gateway)).toMatchObject({ active: true, sub });

    const loginId = (await first.app.customers.findBySub(sub))!.loginId;
    expect((await adminApi(first, `/users/${loginId}/lock`)).status).toBe(200);
    expect(await eventually(async () => ((await introspect(client)).active === false ? 401 : 200), 401)).toBe(401);
    expect(await introspect(client)).toEqual({ active: false });
    expect(await introspect(gateway)).toEqual({ active: false });
  });

  it('stops a deleted customer’s userinfo on the other instance', async () => {
    const sub = await seedCustomer(first);
    const { accessToken } = await tokensFor(sub);
    expect(await userinfo(second, accessToken)).toBe(200);
    await first.app.customers.delete((await first.app.customers.findBySub(sub))!);
    expect(await eventually(() => userinfo(second, accessToken), 401)).toBe(401);
  });

  it('forgets what it held when its channel connection drops, so that a lock announced meanwhile is not missed', async () => {
    const sub = await seedCustomer(first);
    const { accessToken } = await tokensFor(sub);
    expect(await userinfo(second, accessToken)).toBe(200);

    const admin = new Redis(process.env.RENKEI_TEST_REDIS_URL!);
    try {
      // every instance loses its channel connection; the announcement of the lock below reaches nobody
      await admin.client('KILL', 'TYPE', 'pubsub');
      await first.app.customers.setStatus(sub, 'locked');
      expect(await eventually(() => userinfo(second, accessToken), 401)).toBe(401);
      // once both hear the channel again, the standing is held again and changes reach it as before
      await eventually(async () => Number((await admin.pubsub('NUMSUB', 'renkei:customer-changes'))[1]), 2);
      await first.app.customers.setStatus(sub, 'active');
      expect(await eventually(() => userinfo(second, accessToken), 200)).toBe(200);
      expect(await userinfo(second, accessToken)).toBe(200);
      await first.app.customers.setStatus(sub, 'locked');
      expect(await eventually(() => userinfo(second, accessToken), 401)).toBe(401);
    } finally {
      admin.disconnect();
    }
  });
});

describe('customer standings in the in-memory store', () => {
  it('stops a locked customer’s userinfo at once', async () => {
    const server = await startTestServer({ env: { RENKEI_REDIS_URL: '' } });
    try {
      const memoryClient = await registerClient(server);
      const sub = await seedCustomer(server);
      const { code, verifier } = await issueCode(server, memoryClient, sub);
      const issued = await postForm(`${server.issuer}/token`, { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT_URI }, { authorization: basicAuth(memoryClient) });
      const accessToken = String(issued.json.access_token);
      expect(await userinfo(server, accessToken)).toBe(200);
      expect(await userinfo(server, accessToken)).toBe(200);
      await server.app.customers.setStatus(sub, 'locked');
      expect(await userinfo(server, accessToken)).toBe(401);
    } finally {
      await server.close();
    }
  });
});
