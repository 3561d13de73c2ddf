/**
 * SPEC §3, one language and no dead ends: every page of an interaction speaks the language chosen
 * at the authorization request (ui_locales, else Accept-Language, else Japanese), also after a form
 * post, and every page once the partner is known (locked, 429, expired, cancelled) offers
 * 連携先に戻る with the matching OAuth error, state and iss. (Redis down: store-down-pages.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { decodeJwt } from 'jose';
import { Redis } from 'ioredis';
import { createCustomer, REDIRECT_URI, type TestClient } from '../../support/oauth-fixtures.js';
import type { TestServer } from '../../support/test-server.js';
import { authorize, ClientBrowser, expectNoInternals, land, post, postAndLand, registerPartner, startJourneyServer, titleOf, uidOf, type Page } from './journey-kit.js';
import { returnForm, returnUrl, TEXTS, type Locale } from './no-dead-ends-kit.js';

const CONTACT = { phone: '03-1234-5678', hours: { ja: '平日 9:00〜15:00', en: 'Weekdays 9:00–15:00 JST' } };
const WINDOW_SECONDS = 300;

let server: TestServer;
let client: TestClient;
let redis: Redis;
beforeAll(async () => {
  server = await startJourneyServer({ bank: { contact: CONTACT }, throttle: { failuresPerIp: 2, windowSeconds: WINDOW_SECONDS } });
  client = await registerPartner(server);
  redis = new Redis(process.env.RENKEI_TEST_REDIS_URL!, { lazyConnect: true });
  await redis.connect();
});
afterAll(async () => {
  redis.disconnect();
  await server.close();
});

/** A browser whose language is `acceptLanguage` (as Accept-Language), on an IP of its own. */
class SpeakingBrowser extends ClientBrowser {
  constructor(readonly acceptLanguage: string) {
    super(server.issuer);
  }

  override request(url: string, init: RequestInit = {}): Promise<Response> {
    return super.request(url, { ...init, headers: { 'accept-language': this.acceptLanguage, ...(init.headers as Record<string, string> | undefined) } });
  }
}

/** Starts an interaction in `locale`: by ui_locales, or (byBrowser) by Accept-Language alone. */
async function startIn(locale: Locale, { byBrowser = false, extra = {} }: { byBrowser?: boolean; extra?: Record<string, string> } = {}) {
  const browser = new SpeakingBrowser(byBrowser ? (locale === 'en' ? 'en-GB,en;q=0.9' : 'ja-JP') : '*');
  const started = await authorize(server, client, { browser, extra: byBrowser ? extra : { ui_locales: locale, ...extra } });
  expect(titleOf(started.page.html)).toBe(TEXTS[locale].loginTitle);
  return started;
}

/** Lets the interaction's record expire now, as its TTL would. */
async function expire(page: Page): Promise<void> {
  expect(await redis.pexpire(`renkei:{Interaction:${uidOf(page)}}`, 1)).toBe(1);
  await new Promise((resolve) => setTimeout(resolve, 20));
}

function expectLanguage(page: Page, locale: Locale): void {
  expect(page.html).toContain(`<html lang="${locale}">`);
  expect(page.html).toContain(locale === 'ja' ? 'れんけい信用組合' : 'Renkei Credit Union');
}

function expectContact(page: Page, locale: Locale): void {
  expect(page.html).toContain(`<a href="tel:0312345678">${CONTACT.phone}</a>`);
  expect(page.html).toContain(`<dd>${CONTACT.hours[locale]}</dd>`);
}

function expectReturn(page: Page, locale: Locale, error: string, state: string): void {
  const form = returnForm(page.html);
  expect(form?.label).toBe(TEXTS[locale].returnTo);
  expect(form?.method).toBe('get');
  const back = new URL(returnUrl(form!));
  expect(`${back.origin}${back.pathname}`).toBe(REDIRECT_URI);
  expect(Object.fromEntries(back.searchParams)).toEqual({ error, state, iss: server.issuer });
}

describe.each(['ja', 'en'] as const)('one language, no dead ends (SPEC §3) in %s', (locale) => {
  const t = TEXTS[locale];

  it('keeps the language chosen by Accept-Language alone after a form post', async () => {
    const customer = await createCustomer(server);
    const { browser, page } = await startIn(locale, { byBrowser: true });
    const failed = await postAndLand(browser, page, 'login', { login_id: customer.loginId, password: 'wrong' });
    expect(failed.response.status).toBe(401);
    expectLanguage(failed, locale);
    expect(failed.html).toContain(t.failed);
    // the address of the page the form answered, opened again (Enter in the address bar): 405 in
    // the interaction's language, with the contact and 連携先に戻る
    const reopened = await land(browser, await browser.get(`${new URL(page.url).pathname}/login`));
    expect([reopened.response.status, reopened.response.headers.get('allow')]).toEqual([405, 'POST']);
    expectLanguage(reopened, locale);
    expectContact(reopened, locale);
    expect(returnForm(reopened.html)?.fields.error).toBe('invalid_request');

    // an address under the interaction that is no page of it, and a method its address does not take
    const nowhere = await land(browser, await browser.get(`${new URL(page.url).pathname}/nowhere`));
    expect(nowhere.response.status).toBe(404);
    expectLanguage(nowhere, locale);
    expect(returnForm(nowhere.html)).toBeDefined();
    const put = await land(browser, await browser.request(new URL(page.url).pathname, { method: 'PUT' }));
    expect([put.response.status, put.response.headers.get('allow')]).toEqual([405, 'GET, HEAD']);
    expectLanguage(put, locale);
    expect(returnForm(put.html)).toBeDefined();
  });

  it('the locked page: final, the contact, and 連携先に戻る with access_denied', async () => {
    const customer = await createCustomer(server);
    await server.app.customers.setStatus(customer.sub, 'locked');
    const { browser, page, state } = await startIn(locale, { byBrowser: true });
    const locked = await postAndLand(browser, page, 'login', { login_id: customer.loginId, password: customer.password });
    expect(locked.response.status).toBe(403);
    expectLanguage(locked, locale);
    expect(locked.html).toContain(t.locked);
    expectContact(locked, locale);
    expectReturn(locked, locale, 'access_denied', state);
  });

  it('the 429 after form posts: Retry-After, the wait in words, the contact and 連携先に戻る with temporarily_unavailable', async () => {
    const customer = await createCustomer(server);
    const { browser, page, state } = await startIn(locale, { byBrowser: true });
    for (let attempt = 0; attempt < 2; attempt++) await post(browser, page, 'login', { login_id: customer.loginId, password: 'wrong' });
    const throttled = await land(browser, await post(browser, page, 'login', { login_id: customer.loginId, password: customer.password }));
    expect(throttled.response.status).toBe(429);
    expect(throttled.response.headers.get('retry-after')).toBe(String(WINDOW_SECONDS));
    expectLanguage(throttled, locale);
    expect(throttled.html).toContain(t.tryAgainIn5Minutes);
    expectContact(throttled, locale);
    expectReturn(throttled, locale, 'temporarily_unavailable', state);
  });

  it('an expired interaction, shown or posted to: its own language and 連携先に戻る with login_required', async () => {
    const customer = await createCustomer(server);
    const { browser, page, state } = await startIn(locale);
    await expire(page);
    const shown = await land(browser, await browser.get(new URL(page.url).pathname));
    expect(shown.response.status).toBe(400);
    expect(titleOf(shown.html)).toBe(t.expiredTitle);
    expectLanguage(shown, locale);
    expectReturn(shown, locale, 'login_required', state);
    expectContact(shown, locale);

    const posted = await postAndLand(browser, page, 'login', { login_id: customer.loginId, password: customer.password });
    expect(titleOf(posted.html)).toBe(t.expiredTitle);
    expectLanguage(posted, locale);
    expectReturn(posted, locale, 'login_required', state);
    expect(posted.html).toContain('<code>interaction_expired</code>');
    expect(posted.html).not.toMatch(/interaction session|cookie not found/);
  });

  it('中止する once the interaction expired: a cancelled page with 連携先に戻る and access_denied', async () => {
    const { browser, page, state } = await startIn(locale);
    await expire(page);
    const cancelled = await postAndLand(browser, page, 'abort', {});
    expect(cancelled.response.status).toBe(200);
    expect(titleOf(cancelled.html)).toBe(t.cancelledTitle);
    expectLanguage(cancelled, locale);
    expectReturn(cancelled, locale, 'access_denied', state);
  });

  it('中止する on a live interaction returns to the partner with access_denied, state and iss', async () => {
    const { browser, page, state } = await startIn(locale);
    const end = await postAndLand(browser, page, 'abort', {});
    const back = new URL(end.url);
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT_URI);
    expect([back.searchParams.get('error'), back.searchParams.get('state'), back.searchParams.get('iss')]).toEqual(['access_denied', state, server.issuer]);
  });

  it('requests that cannot be redirected: a sentence, the code and the お問い合わせ番号 in the browser’s language, never developer text', async () => {
    const browser = new SpeakingBrowser(locale === 'en' ? 'en-US,en;q=0.8' : 'ja');
    const unknownClient = await land(browser, await browser.get(`/auth?client_id=no-such-client&response_type=code&scope=openid&redirect_uri=${encodeURIComponent(REDIRECT_URI)}`));
    const wrongRedirect = await land(browser, await browser.get(`/auth?client_id=${client.clientId}&response_type=code&scope=openid&redirect_uri=${encodeURIComponent('https://evil.example/cb')}`));
    for (const page of [unknownClient, wrongRedirect]) {
      expect(page.response.status).toBe(400);
      expectLanguage(page, locale);
      expect(titleOf(page.html)).toBe(t.badRequestTitle);
      expect(page.html).toMatch(/<code>invalid_(client|redirect_uri)<\/code>/);
      expect(page.html).toContain(t.requestId);
      expect(page.html).not.toMatch(/client is invalid|redirect_uri did not match|registered/);
      expectNoInternals(page.html);
      expect(returnForm(page.html)).toBeUndefined();
    }
    const notFound = await land(browser, await browser.get('/no-such-page'));
    expect(notFound.response.status).toBe(404);
    expectLanguage(notFound, locale);
    expectContact(notFound, locale);
  });
});

describe('the language chosen at the authorization request', () => {
  it('ui_locales wins over Accept-Language, and a ui_locales with no supported language falls back to it', async () => {
    const browser = new SpeakingBrowser('en');
    const japanese = await authorize(server, client, { browser, extra: { ui_locales: 'ja' } });
    expect(titleOf(japanese.page.html)).toBe(TEXTS.ja.loginTitle);
    const french = await authorize(server, client, { browser: new SpeakingBrowser('en'), extra: { ui_locales: 'fr-FR' } });
    expect(titleOf(french.page.html)).toBe(TEXTS.en.loginTitle);
    const nothing = await authorize(server, client, { browser: new SpeakingBrowser('fr') });
    expect(titleOf(nothing.page.html)).toBe(TEXTS.ja.loginTitle);
  });

  it('is kept by the interaction even when the browser’s language changes mid-flow', async () => {
    const customer = await createCustomer(server);
    const { browser, page } = await startIn('en', { byBrowser: true });
    const switched = new SpeakingBrowser('ja');
    for (const [name, value] of browser.cookies) switched.cookies.set(name, value);
    const failed = await postAndLand(switched, page, 'login', { login_id: customer.loginId, password: 'wrong' });
    expectLanguage(failed, 'en');
  });
});

describe('the way back', () => {
  it('is posted to a form_post partner, with the same fields', async () => {
    const customer = await createCustomer(server);
    await server.app.customers.setStatus(customer.sub, 'locked');
    const { browser, page, state } = await startIn('ja', { extra: { response_mode: 'form_post' } });
    const locked = await postAndLand(browser, page, 'login', { login_id: customer.loginId, password: customer.password });
    const form = returnForm(locked.html);
    expect(form).toMatchObject({ method: 'post', action: REDIRECT_URI, fields: { error: 'access_denied', state, iss: server.issuer } });
  });

  it('carries the answer in the fragment for a fragment partner', async () => {
    const customer = await createCustomer(server);
    await server.app.customers.setStatus(customer.sub, 'locked');
    const { browser, page, state } = await startIn('ja', { extra: { response_mode: 'fragment' } });
    const locked = await postAndLand(browser, page, 'login', { login_id: customer.loginId, password: customer.password });
    const form = returnForm(locked.html)!;
    expect(form).toMatchObject({ method: 'get', fields: {} });
    const action = new URL(form.action);
    expect(`${action.origin}${action.pathname}${action.search}`).toBe(REDIRECT_URI);
    expect(Object.fromEntries(new URLSearchParams(action.hash.slice(1)))).toEqual({ error: 'access_denied', state, iss: server.issuer });
  });

  it('goes by 中止する where the answer must be a signed JWT (JARM): oidc-provider signs it; an expired page offers none', async () => {
    const customer = await createCustomer(server);
    await server.app.customers.setStatus(customer.sub, 'locked');
    const { browser, page, state } = await startIn('en', { extra: { response_mode: 'jwt' } });
    const locked = await postAndLand(browser, page, 'login', { login_id: customer.loginId, password: customer.password });
    expect(locked.html).toContain(TEXTS.en.locked);
    const form = returnForm(locked.html)!;
    expect(form).toMatchObject({ method: 'post', action: `${server.issuer}/interaction/${uidOf(page)}/abort`, label: TEXTS.en.returnTo });
    const { url } = await browser.follow(await browser.post(form.action, form.fields));
    const back = new URL(url);
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT_URI);
    expect(back.searchParams.get('error')).toBeNull();
    const answer = decodeJwt(back.searchParams.get('response')!);
    expect(answer).toMatchObject({ iss: server.issuer, aud: client.clientId, error: 'access_denied', state });

    const later = await startIn('en', { extra: { response_mode: 'jwt' } });
    await expire(later.page);
    const expired = await land(later.browser, await later.browser.get(new URL(later.page.url).pathname));
    expectLanguage(expired, 'en');
    expect(returnForm(expired.html)).toBeUndefined();
  });

  it('is never built from an unsigned or altered memo: the page then speaks the request’s language and offers no way back', async () => {
    const { browser, page } = await startIn('en');
    const memo = browser.cookies.get('renkei_ix')!;
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(memo, 'base64url').toString()), partnerReturn: { clientId: 'x', partnerName: 'Evil', redirectUri: 'https://evil.example/cb', responseMode: 'query' } })).toString('base64url');
    browser.cookies.set('renkei_ix', forged);
    await expire(page);
    const expired = await land(browser, await browser.get(new URL(page.url).pathname));
    expect(expired.html).not.toContain('evil.example');
    expect(returnForm(expired.html)).toBeUndefined();
  });
});
