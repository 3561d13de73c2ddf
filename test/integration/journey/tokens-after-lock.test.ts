import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { callbackParams } from '../../support/browserless.js';
import { completeJourney } from '../../support/journey.js';
import { basicAuth, createCustomer, postForm, type TestClient, type TestCustomer } from '../../support/oauth-fixtures.js';
import type { TestServer } from '../../support/test-server.js';
import { auditEvents, authorize, ClientBrowser, exchangeCode, postAndLand, registerPartner, startJourneyServer, TEXT } from './journey-kit.js';

let server: TestServer;
let client: TestClient;
beforeAll(async () => {
  server = await startJourneyServer();
  client = await registerPartner(server);
});
afterAll(() => server.close());

/** A finished journey with offline_access (prompt=consent, so a refresh token is issued). */
async function tokensFor(customer: TestCustomer): Promise<{ accessToken: string; refreshToken: string }> {
  const journey = await completeJourney(server.issuer, client, customer, {
    browser: new ClientBrowser(server.issuer),
    scope: 'openid offline_access accounts',
    extra: { prompt: 'consent' },
  });
  const tokens = await exchangeCode(server, client, callbackParams(journey.end.url).get('code')!, journey.verifier);
  expect(tokens.status).toBe(200);
  expect(typeof tokens.json.access_token).toBe('string');
  expect(typeof tokens.json.refresh_token).toBe('string');
  return { accessToken: String(tokens.json.access_token), refreshToken: String(tokens.json.refresh_token) };
}

const userinfo = (accessToken: string) => fetch(`${server.issuer}/me`, { headers: { authorization: `Bearer ${accessToken}` } });
const refresh = (refreshToken: string) =>
  postForm(`${server.issuer}/token`, { grant_type: 'refresh_token', refresh_token: refreshToken }, { authorization: basicAuth(client) });

async function expectRefused(accessToken: string, refreshToken: string): Promise<void> {
  const me = await userinfo(accessToken);
  expect(me.status).toBe(401);
  await me.text();
  const refreshed = await refresh(refreshToken);
  expect(refreshed.status).toBe(400);
  expect(refreshed.json.error).toBe('invalid_grant');
  expect(refreshed.json.access_token).toBeUndefined();
}

describe('tokens of a customer who is locked afterwards (SPEC §4)', () => {
  it('stop working once five failed attempts lock the account', async () => {
    const customer = await createCustomer(server);
    const { accessToken, refreshToken } = await tokensFor(customer);

    const me = await userinfo(accessToken);
    expect(me.status).toBe(200);
    expect(((await me.json()) as { sub: string }).sub).toBe(customer.sub);
    const refreshed = await refresh(refreshToken);
    expect(refreshed.status).toBe(200);
    expect(refreshed.json.access_token).toBeTruthy();

    const { browser, page } = await authorize(server, client);
    let current = page;
    for (let i = 0; i < 5; i++) current = await postAndLand(browser, current, 'login', { login_id: customer.loginId, password: `wrong ${i}` });
    expect(auditEvents(server, 'account.locked', { sub: customer.sub })).toHaveLength(1);

    await expectRefused(accessToken, refreshToken);
    await expectRefused(String(refreshed.json.access_token), String(refreshed.json.refresh_token ?? refreshToken));
  });

  it('stop working when an operator locks the account', async () => {
    const customer = await createCustomer(server);
    const { accessToken, refreshToken } = await tokensFor(customer);
    expect((await userinfo(accessToken)).status).toBe(200);

    await server.app.customers.setStatus(customer.sub, 'locked');
    await expectRefused(accessToken, refreshToken);

    // and the customer cannot get new ones: the locked message after the right password
    const { browser, page } = await authorize(server, client);
    const refusedLogin = await postAndLand(browser, page, 'login', { login_id: customer.loginId, password: customer.password });
    expect(refusedLogin.response.status).toBeGreaterThanOrEqual(400);
    expect(refusedLogin.html).toContain(TEXT.lockedPrefix);
  });
});
