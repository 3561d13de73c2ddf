import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connect } from 'node:net';
import { Browserless, callbackParams, csrfOf, positionsOf } from '../../support/browserless.js';
import { digitsFor } from '../../support/journey.js';
import { createCustomer, type TestClient, type TestCustomer } from '../../support/oauth-fixtures.js';
import type { TestServer } from '../../support/test-server.js';
import { authorize, ClientBrowser, expectNoInternals, land, postAndLand, registerPartner, uidPath, type Page } from './journey-kit.js';
import { startOnPrivateRedis, type PrivateRedisServer } from './private-redis-kit.js';

// Its own Redis: every refused form counts against 127.0.0.1 in the per-IP throttle, and the
// server does not trust X-Forwarded-For, so the client IP comes from the socket (the 500 of old).
let running: PrivateRedisServer;
let server: TestServer;
let client: TestClient;
let customer: TestCustomer;
beforeAll(async () => {
  running = await startOnPrivateRedis({ server: { trustProxy: false } });
  server = running.server;
  client = await registerPartner(server);
  customer = await createCustomer(server);
});
afterAll(() => running.close());

const SIZES = [
  ['9 KB', 9 * 1024],
  ['1 MB', 1024 * 1024],
] as const;

/** A form the page would send (its CSRF token) padded to `size` bytes. */
function paddedForm(csrf: string, fields: Record<string, string>, size: number): string {
  const form = new URLSearchParams({ csrf, ...fields }).toString();
  return `${form}&padding=${'a'.repeat(Math.max(0, size - form.length - 9))}`;
}

async function postRaw(browser: Browserless, path: string, body: string): Promise<Page> {
  const response = await browser.request(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
  return { response, url: response.url, html: await response.text() };
}

function expectTooLargePage(page: Page, lang: 'ja' | 'en' = 'ja'): void {
  expect(page.response.status).toBe(413);
  expect(page.response.headers.get('content-type')).toMatch(/^text\/html/);
  expect(page.html).toContain(`<html lang="${lang}">`);
  expect(page.html).toContain(lang === 'ja' ? 'お問い合わせ番号' : 'Reference number');
  expectNoInternals(page.html);
}

async function expectStillServing(): Promise<void> {
  expect((await fetch(`${server.issuer}/healthz`)).status).toBe(200);
}

/** Posts oversized forms to a screen's step and to 中止する: each a 413 page, the server unharmed. */
async function expectOversizedRefused(browser: ClientBrowser, page: Page, step: string, lang: 'ja' | 'en' = 'ja'): Promise<void> {
  for (const target of [step, 'abort']) {
    for (const [, size] of SIZES) {
      expectTooLargePage(await postRaw(browser, `${uidPath(page)}/${target}`, paddedForm(csrfOf(page.html), {}, size)), lang);
      await expectStillServing();
    }
  }
}

describe('oversized customer forms (SPEC §7: 413)', () => {
  it('answers 413 with the error page on every step and on 中止する, and the flow still completes', async () => {
    const customer = await createCustomer(server);
    const { browser, page: login, state } = await authorize(server, client);
    await expectOversizedRefused(browser, login, 'login');
    const digits = await postAndLand(browser, login, 'login', { login_id: customer.loginId, password: customer.password });
    await expectOversizedRefused(browser, digits, 'digits');
    const additional = await postAndLand(browser, digits, 'digits', digitsFor(customer, digits.html));
    expect(additional.html).toContain('追加認証入力');
    await expectOversizedRefused(browser, additional, 'additional');
    const consent = await postAndLand(browser, additional, 'additional', { answer: customer.answer });
    expect(consent.html).toContain('許可する');
    await expectOversizedRefused(browser, consent, 'consent');
    const end = await postAndLand(browser, consent, 'consent', {});
    expect(callbackParams(end.url).get('state')).toBe(state);
    expect(callbackParams(end.url).get('code')).toBeTruthy();
  });

  it('shows the 413 page in the interaction’s language', async () => {
    const customer = await createCustomer(server);
    const { browser, page: login } = await authorize(server, client, { extra: { ui_locales: 'en' } });
    await expectOversizedRefused(browser, login, 'login', 'en');
    const digits = await postAndLand(browser, login, 'login', { login_id: customer.loginId, password: customer.password });
    await expectOversizedRefused(browser, digits, 'digits', 'en');
  });

  it('answers 413 even when the interaction is unknown, and for a body far beyond the limit', async () => {
    const browser = new Browserless(server.issuer);
    expectTooLargePage(await postRaw(browser, '/interaction/no-such-interaction/login', paddedForm('x', {}, 64 * 1024)));
    const huge = await browser
      .request('/interaction/no-such-interaction/login', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a'.repeat(8 * 1024 * 1024) })
      .then((response) => response.status, () => 'connection closed');
    expect([413, 'connection closed']).toContain(huge);
    await expectStillServing();
  });
});

/** Starts a POST announcing `declared` bytes, sends a few, then hangs up (with a TCP reset when `reset`). */
async function abandonBody(path: string, cookie: string, declared: number, reset = false): Promise<void> {
  const { hostname, port } = new URL(server.issuer);
  const socket = connect(Number(port), hostname);
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.write(`POST ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nCookie: ${cookie}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${declared}\r\n\r\ncsrf=abc&padding=aaaa`);
  await new Promise((resolve) => setTimeout(resolve, 100));
  if (reset) socket.resetAndDestroy();
  else socket.destroy();
  await new Promise((resolve) => setTimeout(resolve, 100));
}

describe('a client that hangs up mid-body', () => {
  it('costs no 5xx and no error in the log, on a live interaction or an unknown one', async () => {
    const { browser, page } = await authorize(server, client);
    const cookie = [...browser.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    for (const declared of [1000, 9 * 1024, 1024 * 1024]) {
      await abandonBody(`${uidPath(page)}/login`, cookie, declared);
      await abandonBody('/interaction/no-such-interaction/login', '', declared);
      await abandonBody('/account/connections/login', '', declared);
      // the authorization and logout endpoints' POST too (read as a form, then served as GET)
      await abandonBody('/auth', '', declared);
      await abandonBody('/session/end', '', declared);
    }
    await expectStillServing();
    expect(server.logs.events().filter((line) => line.event === 'http.error')).toEqual([]);
  });

  it('a reset mid-body, at the screens and the API endpoints, prints nothing on stderr (Koa\'s default would print a stack trace)', async () => {
    const printed: unknown[][] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void printed.push(args);
    try {
      for (const path of ['/token', '/me', '/token/introspection', '/request', '/interaction/no-such-interaction/login', '/account/connections/login', '/auth']) {
        await abandonBody(path, '', 100_000, true);
      }
    } finally {
      console.error = original;
    }
    expect(printed).toEqual([]);
    await expectStillServing();
    expect(server.logs.events().filter((line) => line.event === 'http.error')).toEqual([]);
  });
});

describe('oversized 連携サービス管理 forms (SPEC §7: 413)', () => {
  it('answers 413 with the error page on login, digits, 連携解除 and logout', async () => {
    const browser = new Browserless(server.issuer);
    let html = await (await browser.get('/account/connections')).text();
    for (const [, size] of SIZES) expectTooLargePage(await postRaw(browser, '/account/connections/login', paddedForm(csrfOf(html), {}, size)));
    await browser.post('/account/connections/login', { csrf: csrfOf(html), login_id: customer.loginId, password: customer.password });
    html = await (await browser.get('/account/connections')).text();
    expect(positionsOf(html)).toHaveLength(3);
    for (const [, size] of SIZES) expectTooLargePage(await postRaw(browser, '/account/connections/digits', paddedForm(csrfOf(html), {}, size)));
    const listed = await land(browser, await browser.post('/account/connections/digits', { csrf: csrfOf(html), ...digitsFor(customer, html) }));
    expect(listed.html).toContain('連携サービス管理');
    for (const action of ['revoke/confirm', 'revoke', 'logout']) {
      for (const [, size] of SIZES) {
        expectTooLargePage(await postRaw(browser, `/account/connections/${action}`, paddedForm(csrfOf(listed.html), { client_id: client.clientId }, size)));
      }
    }
    const en = await postRaw(browser, '/account/connections/logout?ui_locales=en', paddedForm(csrfOf(listed.html), {}, 9 * 1024));
    expectTooLargePage(en, 'en');
    await expectStillServing();
  });
});
