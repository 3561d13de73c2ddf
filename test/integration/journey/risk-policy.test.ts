import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { decodeJwt } from 'jose';
import { callbackParams, positionsOf } from '../../support/browserless.js';
import { completeJourney, digitsFor, type JourneyResult } from '../../support/journey.js';
import { createCustomer, type TestClient, type TestCustomer } from '../../support/oauth-fixtures.js';
import type { TestServer } from '../../support/test-server.js';
import { auditEvents, authorize, ClientBrowser, exchangeCode, postAndLand, registerPartner, startJourneyServer, uidOf } from './journey-kit.js';

/** The reasons logged with additional_auth.required for the interaction of a journey. */
function requiredReasons(server: TestServer, journey: JourneyResult): unknown[] {
  const events = auditEvents(server, 'additional_auth.required', { interaction_id: uidOf(journey.pages.login!) });
  return events.map((event) => event.reason);
}

async function journey(server: TestServer, client: TestClient, customer: TestCustomer, browser: ClientBrowser, scope = 'openid accounts') {
  const result = await completeJourney(server.issuer, client, customer, { browser, scope });
  expect(callbackParams(result.end.url).get('code')).toBeTruthy();
  return result;
}

describe('risk.additionalAuth = "risk" (the default)', () => {
  let server: TestServer;
  let client: TestClient;
  beforeAll(async () => {
    server = await startJourneyServer();
    client = await registerPartner(server, { scope: 'openid offline_access accounts transactions transfers' });
  });
  afterAll(() => server.close());

  it('asks on a browser new to the customer, then remembers it; another customer on that browser is asked again', async () => {
    const customer = await createCustomer(server);
    const browser = new ClientBrowser(server.issuer);
    const first = await journey(server, client, customer, browser);
    expect(first.pages.additional).toBeDefined();
    expect(requiredReasons(server, first)).toEqual([['risk.new_device']]);
    expect(auditEvents(server, 'additional_auth.required', { interaction_id: uidOf(first.pages.login!) })[0]).toMatchObject({
      sub: customer.sub,
      login_id: customer.loginId,
      client_id: client.clientId,
      ip: browser.ip,
    });

    const second = await journey(server, client, customer, browser);
    expect(second.pages.additional).toBeUndefined();
    expect(requiredReasons(server, second)).toEqual([]);

    // (where this journey ends is the business of cancel-and-prompt.test.ts)
    const someoneElse = await createCustomer(server);
    const third = await completeJourney(server.issuer, client, someoneElse, { browser });
    expect(third.pages.additional).toBeDefined();
    expect(requiredReasons(server, third)).toEqual([['risk.new_device']]);
  });

  it('asks on a remembered browser after a failed attempt since the last success (wrong password or wrong digits), and not once that is past', async () => {
    const customer = await createCustomer(server);
    const browser = new ClientBrowser(server.issuer);
    await journey(server, client, customer, browser);

    // a wrong password in an earlier, abandoned attempt
    const { browser: elsewhere, page } = await authorize(server, client);
    await postAndLand(elsewhere, page, 'login', { login_id: customer.loginId, password: 'wrong password' });
    const afterWrongPassword = await journey(server, client, customer, browser);
    expect(afterWrongPassword.pages.additional).toBeDefined();
    expect(requiredReasons(server, afterWrongPassword)).toEqual([['risk.recent_failures']]);

    const clean = await journey(server, client, customer, browser);
    expect(clean.pages.additional).toBeUndefined();

    // a wrong digit answer in the same interaction
    const start = await authorize(server, client, { browser });
    const digits = await postAndLand(browser, start.page, 'login', { login_id: customer.loginId, password: customer.password });
    const wrong = Object.fromEntries(positionsOf(digits.html).map((p) => [`digit_${p}`, String((Number(customer.userNumber[p - 1]) + 1) % 10)]));
    const retry = await postAndLand(browser, digits, 'digits', wrong);
    expect(retry.response.status).toBe(401);
    const next = await postAndLand(browser, retry, 'digits', digitsFor(customer, retry.html));
    expect(next.html).toContain('追加認証入力');
    expect(auditEvents(server, 'additional_auth.required', { interaction_id: uidOf(start.page) }).map((e) => e.reason)).toEqual([['risk.recent_failures']]);
  });

  it('asks on a remembered browser after an operator unlocked the account, and not once a journey has passed', async () => {
    const customer = await createCustomer(server);
    const browser = new ClientBrowser(server.issuer);
    await journey(server, client, customer, browser);
    const clean = await journey(server, client, customer, browser);
    expect(clean.pages.additional).toBeUndefined();

    await server.app.customers.setStatus(customer.sub, 'locked');
    await server.app.lockout.unlock(customer.sub);
    const afterUnlock = await journey(server, client, customer, browser);
    expect(afterUnlock.pages.additional).toBeDefined();
    expect(requiredReasons(server, afterUnlock)).toEqual([['risk.recent_failures']]);

    const next = await journey(server, client, customer, browser);
    expect(next.pages.additional).toBeUndefined();
  });

  it('asks on a remembered browser when a highRisk scope (transfers) is requested', async () => {
    const customer = await createCustomer(server);
    const browser = new ClientBrowser(server.issuer);
    await journey(server, client, customer, browser);

    const transfers = await journey(server, client, customer, browser, 'openid accounts transfers');
    expect(transfers.pages.additional).toBeDefined();
    expect(requiredReasons(server, transfers)).toEqual([['risk.high_risk_scope']]);
    expect(transfers.pages.consent!.html).toContain('振込の依頼');

    const tokens = await exchangeCode(server, client, callbackParams(transfers.end.url).get('code')!, transfers.verifier);
    expect(tokens.status).toBe(200);
    expect(decodeJwt(String(tokens.json.id_token))).toMatchObject({ amr: ['pwd', 'pin', 'kba'] });
  });
});

describe('risk.additionalAuth = "never"', () => {
  let server: TestServer;
  let client: TestClient;
  beforeAll(async () => {
    server = await startJourneyServer({ risk: { additionalAuth: 'never' } });
    client = await registerPartner(server);
  });
  afterAll(() => server.close());

  it('never shows the additional screen, even on a new browser, after failures, or for transfers', async () => {
    const customer = await createCustomer(server);
    const { browser, page } = await authorize(server, client);
    await postAndLand(browser, page, 'login', { login_id: customer.loginId, password: 'wrong password' });

    const result = await journey(server, client, customer, new ClientBrowser(server.issuer), 'openid accounts transfers');
    expect(Object.keys(result.pages)).toEqual(['login', 'digits', 'consent']);
    expect(auditEvents(server, 'additional_auth.required', { sub: customer.sub })).toEqual([]);

    const tokens = await exchangeCode(server, client, callbackParams(result.end.url).get('code')!, result.verifier);
    expect(decodeJwt(String(tokens.json.id_token))).toMatchObject({ acr: 'urn:renkei:acr:pwd-digits', amr: ['pwd', 'pin'] });
  });
});

describe('risk.additionalAuth = "always"', () => {
  let server: TestServer;
  let client: TestClient;
  beforeAll(async () => {
    server = await startJourneyServer({ risk: { additionalAuth: 'always' } });
    client = await registerPartner(server);
  });
  afterAll(() => server.close());

  it('shows the additional screen every time, also on a remembered browser', async () => {
    const customer = await createCustomer(server);
    const browser = new ClientBrowser(server.issuer);
    const first = await journey(server, client, customer, browser);
    expect(first.pages.additional).toBeDefined();
    expect(browser.cookies.size).toBeGreaterThan(0);

    const second = await journey(server, client, customer, browser);
    expect(Object.keys(second.pages)).toEqual(['login', 'digits', 'additional']);
    expect(requiredReasons(server, second)).toEqual([['policy.always']]);
  });
});
