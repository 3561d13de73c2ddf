import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { callbackParams, positionsOf } from '../../support/browserless.js';
import { completeJourney, digitsFor } from '../../support/journey.js';
import { createCustomer, type TestClient, type TestCustomer } from '../../support/oauth-fixtures.js';
import type { TestServer } from '../../support/test-server.js';
import {
  auditEvents,
  authorize,
  buttonsOf,
  ClientBrowser,
  errorMessageOf,
  land,
  post,
  postAndLand,
  registerPartner,
  startJourneyServer,
  TEXT,
  titleOf,
  uidOf,
  uidPath,
  type Page,
  type Started,
} from './journey-kit.js';

let server: TestServer;
let client: TestClient;
beforeAll(async () => {
  server = await startJourneyServer();
  client = await registerPartner(server);
});
afterAll(() => server.close());

/** Walks a fresh browser to the named screen. */
async function reach(customer: TestCustomer, screen: 'login' | 'digits' | 'additional' | 'consent'): Promise<Started & { page: Page }> {
  const start = await authorize(server, client, { scope: 'openid accounts transactions' });
  const { browser } = start;
  let page = start.page;
  if (screen !== 'login') page = await postAndLand(browser, page, 'login', { login_id: customer.loginId, password: customer.password });
  if (screen === 'additional' || screen === 'consent') page = await postAndLand(browser, page, 'digits', digitsFor(customer, page.html));
  if (screen === 'consent') page = await postAndLand(browser, page, 'additional', { answer: customer.answer });
  return { ...start, page };
}

describe('中止する (SPEC §3)', () => {
  const expectedScreen = {
    login: (page: Page) => expect(titleOf(page.html)).toBe(TEXT.loginTitle),
    digits: (page: Page) => expect(positionsOf(page.html)).toHaveLength(3),
    additional: (page: Page) => expect(page.html).toContain('追加認証入力'),
    consent: (page: Page) => expect(titleOf(page.html)).toBe(TEXT.consentTitle),
  };

  for (const screen of ['login', 'digits', 'additional', 'consent'] as const) {
    it(`on the ${screen} screen sends the customer back to the partner with error=access_denied, the state and iss`, async () => {
      const customer = await createCustomer(server);
      const { browser, state, page } = await reach(customer, screen);
      expectedScreen[screen](page);
      expect(buttonsOf(page.html)).toContain('中止する');

      const response = await post(browser, page, 'abort', {});
      expect(response.status).toBe(303);
      const end = await land(browser, response);
      const params = callbackParams(end.url);
      expect(params.get('error')).toBe('access_denied');
      expect(params.get('state')).toBe(state);
      expect(params.get('iss')).toBe(server.issuer);
      expect(params.get('code')).toBeNull();

      expect(await server.app.grants.listForCustomer(customer.sub)).toEqual([]);
      if (screen === 'consent') {
        expect(auditEvents(server, 'consent.denied', { interaction_id: uidOf(page), login_id: customer.loginId, client_id: client.clientId })).toHaveLength(1);
        expect(auditEvents(server, 'consent.granted', { sub: customer.sub })).toEqual([]);
      }

      // the interaction is over: a form of it posted again does nothing and leads to the page saying it was cancelled
      const late = await post(browser, page, screen === 'consent' ? 'consent' : screen, {});
      expect([late.status, new URL(late.headers.get('location') ?? '/', server.issuer).pathname]).toEqual([303, uidPath(page)]);
      const cancelled = await land(browser, late);
      expect([cancelled.response.status, titleOf(cancelled.html)]).toEqual([200, 'API連携を中止しました']);
      // the customer's choice, said plainly: no alert, no error code
      expect(cancelled.html).toContain('<p class="status-message" role="status">API連携を中止しました。連携先のサービスにお戻りください。</p>');
      expect(cancelled.html).not.toContain('role="alert"');
      expect(cancelled.html).not.toContain('エラーコード');
      expect(await server.app.grants.listForCustomer(customer.sub)).toEqual([]);
      // another browser, which never saw the flow, gets the error page
      const stranger = await post(new ClientBrowser(server.issuer), page, screen === 'consent' ? 'consent' : screen, {});
      expect(stranger.status).toBeGreaterThanOrEqual(400);
      expect(stranger.status).toBeLessThan(500);
    });
  }
});

describe('a consent form that cannot be read (SPEC §4: refused with the form’s message)', () => {
  it('shows the consent screen again with a message (400), grants nothing, and the next 許可する goes through', async () => {
    const customer = await createCustomer(server);
    const { browser, page, state } = await reach(customer, 'consent');
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.html)![1]!;
    const repeated = await land(browser, await browser.request(`${new URL(page.url).pathname}/consent`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `csrf=${csrf}&csrf=${csrf}`,
    }));
    expect(repeated.response.status).toBe(400);
    expect(titleOf(repeated.html)).toBe(TEXT.consentTitle);
    expect(errorMessageOf(repeated.html)).toBe('送信内容を確認できませんでした。お手数ですが、もう一度お試しください。');
    expect(await server.app.grants.listForCustomer(customer.sub)).toEqual([]);

    const end = await postAndLand(browser, repeated, 'consent', {});
    const params = callbackParams(end.url);
    expect([params.get('state'), typeof params.get('code')]).toEqual([state, 'string']);
  });
});

describe('no silent single sign-on (SPEC §4)', () => {
  it('answers prompt=none with login_required on a new browser', async () => {
    const { state, page } = await authorize(server, client, { extra: { prompt: 'none' } });
    const params = callbackParams(page.url);
    expect(params.get('error')).toBe('login_required');
    expect(params.get('state')).toBe(state);
    expect(params.get('iss')).toBe(server.issuer);
    expect(params.get('code')).toBeNull();
  });

  it('answers prompt=none with login_required right after a completed journey in the same browser, and shows the login screen again to the next request', async () => {
    const customer = await createCustomer(server);
    const browser = new ClientBrowser(server.issuer);
    const journey = await completeJourney(server.issuer, client, customer, { browser });
    expect(callbackParams(journey.end.url).get('code')).toBeTruthy();

    const silent = await authorize(server, client, { browser, extra: { prompt: 'none' } });
    const params = callbackParams(silent.page.url);
    expect(params.get('error')).toBe('login_required');
    expect(params.get('state')).toBe(silent.state);
    expect(params.get('code')).toBeNull();

    const again = await authorize(server, client, { browser });
    expect(again.page.response.status).toBe(200);
    expect(titleOf(again.page.html)).toBe(TEXT.loginTitle);
    const digits = await postAndLand(browser, again.page, 'login', { login_id: customer.loginId, password: customer.password });
    expect(positionsOf(digits.html)).toHaveLength(3);

    // also when the partner already holds a grant covering the request (consent skipped)
    const grantCovered = await authorize(server, client, { browser, extra: { prompt: 'none' } });
    expect(callbackParams(grantCovered.page.url).get('error')).toBe('login_required');
  });

  it('takes a second customer on the same browser through the same screens straight back to the partner', async () => {
    const browser = new ClientBrowser(server.issuer);
    const first = await createCustomer(server);
    const second = await createCustomer(server);
    const firstJourney = await completeJourney(server.issuer, client, first, { browser });
    expect(callbackParams(firstJourney.end.url).get('code')).toBeTruthy();

    // e.g. a family computer: nothing of the first customer's session may get in the way
    const secondJourney = await completeJourney(server.issuer, client, second, { browser });
    expect(Object.keys(secondJourney.pages)).toEqual(['login', 'digits', 'additional', 'consent']);
    expect(secondJourney.end.html).not.toMatch(/<script\b/i);
    expect(secondJourney.end.response.status).toBe(303);
    const params = callbackParams(secondJourney.end.url);
    expect(params.get('state')).toBe(secondJourney.state);
    expect(params.get('code')).toBeTruthy();
    expect(auditEvents(server, 'consent.granted', { sub: second.sub, login_id: second.loginId, client_id: client.clientId })).toHaveLength(1);
  });
});
