/**
 * SPEC §3 with Redis down: the interaction cannot be read, yet its pages speak its language and
 * offer 連携先に戻る, from the signed memo the browser was given when the interaction began.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { Browserless, csrfOf } from '../../support/browserless.js';
import { createCustomer, REDIRECT_URI, type TestClient } from '../../support/oauth-fixtures.js';
import { startRedisServer } from '../../support/redis-server.mjs';
import type { TestServer } from '../../support/test-server.js';
import { authorize, ClientBrowser, land, post, postAndLand, registerPartner, titleOf, uidOf, type Page, type Started } from './journey-kit.js';
import { digitsFor } from '../../support/journey.js';
import { returnForm, returnUrl, TEXTS, type Locale } from './no-dead-ends-kit.js';
import { startOnPrivateRedis, type PrivateRedisServer } from './private-redis-kit.js';

const CONTACT = { phone: '03-1234-5678', hours: { ja: '平日 9:00〜15:00', en: 'Weekdays 9:00–15:00 JST' } };

let running: PrivateRedisServer;
let server: TestServer;
let client: TestClient;
beforeAll(async () => {
  running = await startOnPrivateRedis({ redis: { commandTimeoutMs: 300 }, bank: { contact: CONTACT } });
  server = running.server;
});
// the restarted redis-server starts empty: each test registers its partner afresh, trying again
// when a command outlasts this file's 300 ms timeout (seen once, on a busy machine, right after a
// restart: a pause of the test process itself, which also runs the server, is enough)
beforeEach(async () => {
  for (let attempt = 1; ; attempt++) {
    try {
      client = await registerPartner(server);
      return;
    } catch (error) {
      if (attempt === 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
});
afterAll(() => running.close());

class SpeakingBrowser extends ClientBrowser {
  constructor(readonly acceptLanguage: string) {
    super(server.issuer);
  }

  override request(url: string, init: RequestInit = {}): Promise<Response> {
    return super.request(url, { ...init, headers: { 'accept-language': this.acceptLanguage, ...(init.headers as Record<string, string> | undefined) } });
  }
}

/** Runs `during` with Redis stopped, then starts it again on the same port and waits until the server reaches it. */
async function withRedisDown(during: () => Promise<void>): Promise<void> {
  await running.redis.stop();
  try {
    await during();
  } finally {
    running.redis = await startRedisServer(running.redis.port);
    for (let tries = 0; tries < 100 && (await fetch(`${server.issuer}/readyz`)).status !== 200; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

const RETRY_LABEL = { ja: 'もう一度試す', en: 'Try again' } as const;

/** `retryAt`: the page もう一度試す leads to (then first, 連携先に戻る second). */
function expectUnavailable(page: Page, locale: Locale, state: string, retryAt: string): void {
  expect(page.response.status).toBe(503);
  expect(page.response.headers.get('retry-after')).toBe('5');
  expect(page.html).toContain(`<html lang="${locale}">`);
  expect(titleOf(page.html)).toBe(TEXTS[locale].unavailableTitle);
  expect(page.html).toContain(TEXTS[locale].tryAgainIn5Seconds);
  expect(page.html).toContain(`<dd>${CONTACT.hours[locale]}</dd>`);
  const form = returnForm(page.html);
  expect(form?.label).toBe(TEXTS[locale].returnTo);
  expect(returnUrl(form!)).toBe(`${REDIRECT_URI}?${new URLSearchParams({ error: 'temporarily_unavailable', state, iss: server.issuer })}`);
  const buttons = [...page.html.matchAll(/<form class="([a-z-]+)" method="get" action="([^"]+)">(.*?)<div class="actions"><button type="submit" class="([a-z]+)">([^<]+)<\/button>/g)]
    .map(([, kind, action, fields, emphasis, label]) => [kind!, kind === 'retry' ? `${action}|${fields}` : action!, emphasis!, label!]);
  expect(buttons.map(([kind, action, emphasis, label]) => [kind, kind === 'retry' ? action : '', emphasis, kind === 'retry' ? label : ''])).toEqual([
    ['retry', `${retryAt}|<input type="hidden" name="ui_locales" value="${locale}">`, 'primary', RETRY_LABEL[locale]],
    ['return-to-partner', '', 'secondary', ''],
  ]);
}

describe.each([
  ['ja', 'ja-JP,ja;q=0.9'],
  ['en', 'en-GB,en;q=0.9'],
] as const)('Redis down mid-flow, in %s (chosen by Accept-Language)', (locale, acceptLanguage) => {
  it('the step page, a posted step and 中止する: 503 with Retry-After, the wait in words, the contact and 連携先に戻る', async () => {
    const customer = await createCustomer(server);
    const started: Started = await authorize(server, client, { browser: new SpeakingBrowser(acceptLanguage) });
    const { browser, state } = started;
    const digits = await postAndLand(browser, started.page, 'login', { login_id: customer.loginId, password: customer.password });
    expect(digits.html).toContain(`<html lang="${locale}">`);

    await withRedisDown(async () => {
      // a reload of a posted form would send it again: もう一度試す shows the step afresh (GET)
      const step = `/interaction/${uidOf(digits)}`;
      expectUnavailable(await land(browser, await browser.get(new URL(digits.url).pathname)), locale, state, step);
      expectUnavailable(await postAndLand(browser, digits, 'digits', { digit_1: '1' }), locale, state, step);
      const cancelled = await postAndLand(browser, digits, 'abort', {});
      expect(titleOf(cancelled.html)).toBe(TEXTS[locale].cancelledTitle);
      expect(returnUrl(returnForm(cancelled.html)!)).toBe(`${REDIRECT_URI}?${new URLSearchParams({ error: 'access_denied', state, iss: server.issuer })}`);
    });
  });

  it('the first screen, when the store goes away right after the authorization request: 503 with 連携先に戻る', async () => {
    const browser = new SpeakingBrowser(acceptLanguage);
    const state = `first-${Math.random().toString(36).slice(2)}`;
    const params = new URLSearchParams({
      client_id: client.clientId, response_type: 'code', redirect_uri: REDIRECT_URI, scope: 'openid accounts', state,
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256',
    });
    const started = await browser.get(`/auth?${params}`);
    expect(started.status).toBe(303);
    const first = new URL(started.headers.get('location')!, server.issuer).pathname;
    expect(first).toMatch(/^\/interaction\//);
    await withRedisDown(async () => {
      expectUnavailable(await land(browser, await browser.get(first)), locale, state, first);
    });
  });

  it('the resume step (oidc-provider’s page): 503 in the interaction’s language with 連携先に戻る', async () => {
    const customer = await createCustomer(server);
    const started: Started = await authorize(server, client, { browser: new SpeakingBrowser(acceptLanguage) });
    const { browser, state } = started;
    const digits = await postAndLand(started.browser, started.page, 'login', { login_id: customer.loginId, password: customer.password });
    const additional = await postAndLand(browser, digits, 'digits', digitsFor(customer, digits.html));
    const finished = await post(browser, additional, 'additional', { answer: customer.answer });
    const resume = new URL(finished.headers.get('location')!, server.issuer);
    expect(resume.pathname).toBe(`/auth/${uidOf(additional)}`);
    await withRedisDown(async () => {
      const page = await land(browser, await browser.get(resume.pathname));
      expectUnavailable(page, locale, state, resume.pathname);
    });
  });

  it('連携サービス管理: the 503 page in the session’s language with the contact', async () => {
    const browser = new Browserless(server.issuer);
    const query = locale === 'en' ? '?ui_locales=en' : '';
    const login = await land(browser, await browser.get(`/account/connections${query}`));
    expect(titleOf(login.html)).toBe(TEXTS[locale].connectionsTitle);
    const action = /<form method="post" action="([^"]+)"/.exec(login.html)![1]!;
    await withRedisDown(async () => {
      const failed = await land(browser, await browser.post(action, { csrf: csrfOf(login.html), login_id: 'someone', password: 'x' }));
      expect(failed.response.status).toBe(503);
      expect(failed.response.headers.get('retry-after')).toBe('5');
      expect(failed.html).toContain(`<html lang="${locale}">`);
      expect(failed.html).toContain(`<dd>${CONTACT.hours[locale]}</dd>`);
    });
  });
});

describe('/metrics while Redis is down', () => {
  it('answers a staff credential verified recently on this instance, so Prometheus sees the outage; one never verified here is still refused', async () => {
    const admin = (path: string, init: RequestInit = {}, token = server.adminToken.token) =>
      fetch(`${server.adminUrl}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(init.headers as Record<string, string> | undefined) } });
    const create = async (name: string) => ((await (await admin('/admin/v1/staff', { method: 'POST', body: JSON.stringify({ name, role: 'auditor' }) })).json()) as { token: string }).token;
    const scraper = await create(`prometheus-${Date.now()}`);
    const neverUsed = await create(`unused-${Date.now()}`);
    expect((await admin('/metrics', {}, scraper)).status).toBe(200);

    await withRedisDown(async () => {
      const scrape = await admin('/metrics', {}, scraper);
      expect(scrape.status).toBe(200);
      expect(await scrape.text()).toMatch(/^renkei_redis_errors_total \d+/m);
      // only /metrics: the admin API itself needs the store to know the credential is still valid
      expect((await admin('/admin/v1/clients', {}, scraper)).status).toBe(503);
      expect((await admin('/metrics', {}, neverUsed)).status).toBe(503);
    });
  });
});
