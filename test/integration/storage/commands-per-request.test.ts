/**
 * The Redis commands a token or resource request costs (counted with MONITOR, a script once):
 * client records and customers' standings come from the instance's cache, an uncharged failure
 * budget is not read, a token is read with its grant in one script. What this must not weaken: a grant revoked on one
 * instance is refused at once on another that has read (and remembers) its tokens.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { basicAuth, issueCode, postForm, REDIRECT_URI, registerClient, seedCustomer, type TestClient } from '../../support/oauth-fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { startRedisServer, type RedisServerHandle } from '../../support/redis-server.mjs';
import { monitorRedis } from '../../support/redis-connection.js';
import { revokeGrant } from '../../../src/grants/revoke-grant.js';
import { csrfOf, startAuthorization } from '../../support/browserless.js';

let first: TestServer;
let second: TestServer;
let client: TestClient;
// a redis-server of its own: MONITOR sees every client, and other files (run in parallel) charge
// the failure budget of 127.0.0.1 on the shared one
let redis: RedisServerHandle;
beforeAll(async () => {
  redis = await startRedisServer();
  const env = { RENKEI_REDIS_URL: redis.url };
  [first, second] = await Promise.all([startTestServer({ env }), startTestServer({ env })]);
  client = await registerClient(first);
});
afterAll(async () => {
  await Promise.all([first.close(), second.close()]);
  await redis.stop();
});

/** Commands Redis receives while `action` runs (and shortly after: work done after the response). */
async function commandsDuring(action: () => Promise<unknown>): Promise<string[]> {
  const monitor = await monitorRedis(redis.url);
  const commands: string[] = [];
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    // the event delivery worker polls on its own (commands and scripts on {events} keys): not part of any request
    if (source !== 'lua' && !args.some((arg) => String(arg).includes('{events}'))) commands.push(`${String(args[0]).toLowerCase()} ${String(args[1] ?? '')}`);
  });
  try {
    await new Promise((resolve) => setTimeout(resolve, 50));
    await action();
    await new Promise((resolve) => setTimeout(resolve, 100));
  } finally {
    monitor.disconnect();
  }
  return commands;
}

async function tokens(server: TestServer) {
  const { code, verifier, grantId } = await issueCode(server, client, await seedCustomer(server), 'openid offline_access accounts');
  const response = await postForm(`${server.issuer}/token`, { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT_URI }, { authorization: basicAuth(client) });
  expect(response.status).toBe(200);
  return { accessToken: response.json.access_token as string, refreshToken: response.json.refresh_token as string, grantId };
}

const userinfo = (server: TestServer, accessToken: string) => fetch(`${server.issuer}/me`, { headers: { authorization: `Bearer ${accessToken}` } });
const introspect = (server: TestServer, token: string) => postForm(`${server.issuer}/token/introspection`, { token }, { authorization: basicAuth(client) });

describe('Redis commands per request', () => {
  it('exchanges a code in 7 commands (and the grant\'s first use of the minute) and refreshes in 3 (client and customer standing cached, budget not read, token and grant in one script)', async () => {
    await introspect(first, 'warm-up');
    const { code, verifier } = await issueCode(first, client, await seedCustomer(first), 'openid offline_access accounts');
    let refreshToken = '';
    const exchange = await commandsDuring(async () => {
      const response = await postForm(`${first.issuer}/token`, { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT_URI }, { authorization: basicAuth(client) });
      expect(response.status).toBe(200);
      refreshToken = response.json.refresh_token as string;
    });
    // the grant's last use: a field of the customer's grants hash
    const lastUse = exchange.filter((command) => /^hset renkei:\{c:[^}]*\}:grants$/.test(command));
    expect(lastUse).toHaveLength(1);
    expect(exchange.length - lastUse.length).toBe(7);
    expect(exchange.join('\n')).not.toMatch(/Client:|client-throttle/);

    const refresh = await commandsDuring(async () => {
      const response = await postForm(`${first.issuer}/token`, { grant_type: 'refresh_token', refresh_token: refreshToken }, { authorization: basicAuth(client) });
      expect(response.status).toBe(200);
    });
    // the grant's use was written less than a minute ago: not again; the customer's standing was read by the exchange
    expect(refresh).toHaveLength(3);
  });

  it('answers userinfo in 1 command (customer standing cached) and introspection in 2', async () => {
    const { accessToken } = await tokens(first);
    expect((await commandsDuring(async () => expect((await userinfo(first, accessToken)).status).toBe(200)))).toHaveLength(1);
    expect((await commandsDuring(async () => expect((await introspect(first, accessToken)).json.active).toBe(true)))).toHaveLength(2);
  });

  it('reads a screen\'s progress and its interaction in that order, sent together on the one connection', async () => {
    expect(first.store.kv.keepsSendingOrder).toBe(true);
    const { browser, landing } = await startAuthorization(first.issuer, client);
    expect(landing.response.status).toBe(200);
    await landing.response.text();
    const uid = new URL(landing.url).pathname.split('/').pop()!;
    const screen = await commandsDuring(async () => {
      const response = await browser.get(landing.url);
      expect([response.status, await response.text()]).toEqual([200, expect.stringContaining('name="login_id"')]);
    });
    expect(screen).toEqual([`get renkei:{ix:${uid}}:progress`, `get renkei:{Interaction:${uid}}`]);

    // a form sends its IP's throttle standing for with them
    const html = await (await browser.get(landing.url)).text();
    const form = await commandsDuring(async () => {
      const response = await browser.post(`${new URL(landing.url).pathname}/login`, { csrf: csrfOf(html), login_id: 'nobody-here', password: 'wrong password 1' }, { origin: first.issuer });
      // the wrong password's page is kept for the GET the form redirects to (form-answers.ts)
      expect(response.status).toBe(303);
    });
    expect(form.slice(0, 3)).toEqual([expect.stringMatching(/^get renkei:throttle:/), `get renkei:{ix:${uid}}:progress`, `get renkei:{Interaction:${uid}}`]);
  });

  it('refuses at once, on an instance that has read them, the tokens of a grant revoked on another', async () => {
    const { accessToken, refreshToken, grantId } = await tokens(first);
    expect((await userinfo(second, accessToken)).status).toBe(200);
    expect((await introspect(second, refreshToken)).json.active).toBe(true);

    await revokeGrant(first.store.adapterFactory, grantId);
    expect((await userinfo(second, accessToken)).status).toBe(401);
    expect((await introspect(second, refreshToken)).json.active).toBe(false);
    const refresh = await postForm(`${second.issuer}/token`, { grant_type: 'refresh_token', refresh_token: refreshToken }, { authorization: basicAuth(client) });
    expect([refresh.status, refresh.json.error]).toEqual([400, 'invalid_grant']);
  });
});
