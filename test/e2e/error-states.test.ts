/**
 * No dead ends, in a real browser (Debian's Chromium): English and Japanese flows pushed into the
 * locked, throttled (429), expired and Redis-down (503) states on a desktop and a 390×844 phone.
 * Each page speaks the interaction's language, shows the credit union's contact where SPEC §3 says,
 * has zero axe-core violations, is saved under test-output/screenshots/, and its 連携先に戻る
 * button returns to the partner with the matching error, state and iss.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { projectRoot } from '../../src/settings/project-root.js';
import { BROWSER_JOURNEY_TIMEOUT_MS, gotoServer, launchChromium, screenshot } from '../support/browser.js';
import { createCustomer, pkcePair, REDIRECT_URI, registerClient, type TestClient, type TestCustomer } from '../support/oauth-fixtures.js';
import { startRedisServer } from '../support/redis-server.mjs';
import type { TestServer } from '../support/test-server.js';
import { startOnPrivateRedis, type PrivateRedisServer } from '../integration/journey/private-redis-kit.js';

const AXE_SOURCE = readFileSync(join(projectRoot(), 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
const CONTACT = { phone: '0120-111-222', hours: { ja: '平日 9:00〜17:00', en: 'Weekdays 9:00–17:00 JST' } };
const PARTNER = 'テスト家計簿アプリ';
const FAILURES_PER_IP = 2;
const WINDOW_SECONDS = 300;

type Locale = 'ja' | 'en';

const EXPECTED = {
  ja: {
    loginTitle: 'API連携認証（利用登録）',
    loginId: 'ログインID',
    password: 'ログインパスワード',
    login: 'API連携',
    returnTo: '連携先に戻る',
    locked: 'このアカウントはロックされているため、ご利用いただけません。ロックの解除は、下記のお問い合わせ先までご連絡ください。',
    contact: 'お問い合わせ先',
    tooManyTitle: 'しばらくお待ちください',
    tooMany: '短時間に多くのリクエストがあったため、処理を停止しています。約5分後に、もう一度お試しください。',
    expiredTitle: '有効期限が切れました',
    unavailableTitle: 'ただいまご利用いただけません',
    unavailable: 'ただいまサービスをご利用いただけません。約5秒後に、もう一度お試しください。',
  },
  en: {
    loginTitle: 'API Connection Authentication (Registration)',
    loginId: 'Login ID',
    password: 'Login password',
    login: 'Connect',
    returnTo: `Return to ${PARTNER}`,
    locked: 'This account is locked and cannot be used. To unlock it, please contact us as shown below.',
    contact: 'Contact us',
    tooManyTitle: 'Please wait',
    tooMany: 'There were too many requests in a short time, so we have paused. Please try again in about 5 minutes.',
    expiredTitle: 'This page has expired',
    unavailableTitle: 'Service unavailable',
    unavailable: 'The service is temporarily unavailable. Please try again in about 5 seconds.',
  },
} as const;

const VIEWPORTS = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } } as const;
type Viewport = keyof typeof VIEWPORTS;
const COMBINATIONS = [
  ['ja', 'desktop'],
  ['ja', 'phone'],
  ['en', 'desktop'],
  ['en', 'phone'],
] as const;

let running: PrivateRedisServer;
let server: TestServer;
let browser: Browser;
let client: TestClient;
let redis: Redis;
let ipCounter = 0;

beforeAll(async () => {
  [running, browser] = await Promise.all([
    startOnPrivateRedis({
      redis: { commandTimeoutMs: 2000 },
      bank: { contact: CONTACT },
      throttle: { failuresPerIp: FAILURES_PER_IP, windowSeconds: WINDOW_SECONDS },
    }),
    launchChromium(),
  ]);
  server = running.server;
  client = await registerClient(server);
  redis = new Redis(running.redis.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  await redis.connect();
}, 60_000);
afterAll(async () => {
  // ended when Redis stopped below (no retry); disconnecting it then would leave ioredis' 2 s
  // half-open-socket timer on the socket already gone, which kept the test worker alive
  if (redis && redis.status !== 'end') redis.disconnect();
  await browser?.close();
  await running?.close();
});

/**
 * A browser of its own (own cookies, own client IP). The customer's language is the browser's:
 * the flows choose it by Accept-Language, as a customer's browser would.
 */
async function newContext(locale: Locale, viewport: Viewport): Promise<BrowserContext> {
  ipCounter += 1;
  const context = await browser.newContext({
    viewport: VIEWPORTS[viewport],
    locale: locale === 'ja' ? 'ja-JP' : 'en-GB',
    extraHTTPHeaders: { 'x-forwarded-for': `10.78.${Math.floor(ipCounter / 250)}.${(ipCounter % 250) + 1}` },
  });
  await context.route((url) => url.href.startsWith(REDIRECT_URI), (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<title>partner</title>' }));
  return context;
}

async function expectAccessible(page: Page): Promise<void> {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(
    `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => v.id + ': ' + v.help + ' @ ' + v.nodes.map((n) => n.target.join(' ')).join(', ')))`,
  );
  expect(violations).toEqual([]);
}

async function startAt(context: BrowserContext): Promise<{ page: Page; state: string }> {
  const page = await context.newPage();
  const state = `state-${Math.random().toString(36).slice(2)}`;
  const params = new URLSearchParams({
    client_id: client.clientId, response_type: 'code', redirect_uri: REDIRECT_URI, scope: 'openid accounts', state,
    code_challenge: pkcePair().challenge, code_challenge_method: 'S256',
  });
  await gotoServer(page, `${server.issuer}/auth?${params}`);
  return { page, state };
}

/** Types a login and presses API連携; gives the response the browser navigated to. */
async function logIn(page: Page, locale: Locale, loginId: string, password: string): Promise<Response> {
  const t = EXPECTED[locale];
  expect(await page.title()).toBe(t.loginTitle);
  await page.getByLabel(t.loginId, { exact: true }).fill(loginId);
  await page.getByLabel(t.password, { exact: true }).fill(password);
  // the page the form led to, after the redirect a form answered with a page gets (Post/Redirect/Get)
  const answered = page.waitForResponse((response) => response.request().isNavigationRequest() && (response.status() < 300 || response.status() >= 400));
  await page.getByRole('button', { name: t.login, exact: true }).click();
  const response = await answered;
  await page.waitForLoadState();
  return response;
}

/** The page speaks `locale`, passes axe-core, and is saved. */
async function check(page: Page, locale: Locale, name: string): Promise<void> {
  expect(await page.locator('html').getAttribute('lang')).toBe(locale);
  await expectAccessible(page);
  await screenshot(page, name);
}

async function expectContact(page: Page, locale: Locale): Promise<void> {
  expect(await page.getByRole('heading', { name: EXPECTED[locale].contact, exact: true }).count()).toBe(1);
  expect(await page.getByRole('link', { name: CONTACT.phone }).getAttribute('href')).toBe('tel:0120111222');
}

/** 連携先に戻る leads to the partner's redirect_uri with the error, the state and our issuer. */
async function expectReturnToPartner(page: Page, locale: Locale, error: string, state: string): Promise<void> {
  await page.getByRole('button', { name: EXPECTED[locale].returnTo, exact: true }).click();
  await page.waitForURL((url) => url.href.startsWith(REDIRECT_URI));
  const landed = new URL(page.url());
  expect(`${landed.origin}${landed.pathname}`).toBe(REDIRECT_URI);
  expect(Object.fromEntries(landed.searchParams)).toEqual({ error, state, iss: server.issuer });
}

describe.each(COMBINATIONS)('error states in %s on a %s', (locale, viewport) => {
  const t = EXPECTED[locale];
  const shot = (n: string, name: string) => `states-${locale}-${viewport}-${n}-${name}`;

  it('locked, throttled and expired: each in the flow’s language, with the way back to the partner', async () => {
    const context = await newContext(locale, viewport);

    // locked: a final page with the contact, and 連携先に戻る with access_denied
    const lockedCustomer = await createCustomer(server);
    await server.app.customers.setStatus(lockedCustomer.sub, 'locked');
    const lockedFlow = await startAt(context);
    expect((await logIn(lockedFlow.page, locale, lockedCustomer.loginId, lockedCustomer.password)).status()).toBe(403);
    expect(await lockedFlow.page.locator('.error-message').textContent()).toBe(t.locked);
    expect(await lockedFlow.page.locator('input:not([type="hidden"])').count()).toBe(0);
    await expectContact(lockedFlow.page, locale);
    await check(lockedFlow.page, locale, shot('01', 'locked'));
    await expectReturnToPartner(lockedFlow.page, locale, 'access_denied', lockedFlow.state);

    // expired: the interaction's record lapses (as its TTL would) while the login page is open
    const customer: TestCustomer = await createCustomer(server);
    const expiring = await startAt(context);
    const uid = new URL(expiring.page.url()).pathname.split('/').pop()!;
    expect(await redis.pexpire(`renkei:{Interaction:${uid}}`, 1)).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await logIn(expiring.page, locale, customer.loginId, customer.password)).status()).toBe(400);
    expect(await expiring.page.title()).toBe(t.expiredTitle);
    await expectContact(expiring.page, locale);
    await check(expiring.page, locale, shot('02', 'expired'));
    await expectReturnToPartner(expiring.page, locale, 'login_required', expiring.state);

    // throttled: the IP's budget of failures spent, then a 429 with Retry-After and the wait in words
    const throttled = await startAt(context);
    for (let attempt = 0; attempt < FAILURES_PER_IP; attempt++) {
      expect((await logIn(throttled.page, locale, customer.loginId, `wrong ${attempt}`)).status()).toBe(401);
    }
    const refused = await logIn(throttled.page, locale, customer.loginId, customer.password);
    expect(refused.status()).toBe(429);
    expect(await refused.headerValue('retry-after')).toBe(String(WINDOW_SECONDS));
    expect(await throttled.page.title()).toBe(t.tooManyTitle);
    expect(await throttled.page.locator('.error-message').textContent()).toBe(t.tooMany);
    await expectContact(throttled.page, locale);
    await check(throttled.page, locale, shot('03', 'throttled'));
    await expectReturnToPartner(throttled.page, locale, 'temporarily_unavailable', throttled.state);
    await context.close();
  }, BROWSER_JOURNEY_TIMEOUT_MS);
});

describe('Redis down mid-flow (503)', () => {
  it('every flow gets the 503 page in its language, with Retry-After, the wait in words, the contact and the way back', async () => {
    const flows = await Promise.all(COMBINATIONS.map(async ([locale, viewport]) => {
      const context = await newContext(locale, viewport);
      return { locale, viewport, context, customer: await createCustomer(server), ...(await startAt(context)) };
    }));
    await running.redis.stop();
    try {
      for (const { locale, viewport, customer, page, state } of flows) {
        const t = EXPECTED[locale];
        const answer = await logIn(page, locale, customer.loginId, customer.password);
        expect(answer.status()).toBe(503);
        expect(await answer.headerValue('retry-after')).toBe('5');
        expect(await page.title()).toBe(t.unavailableTitle);
        expect(await page.locator('.error-message').textContent()).toBe(t.unavailable);
        await expectContact(page, locale);
        await check(page, locale, `states-${locale}-${viewport}-04-unavailable`);
        await expectReturnToPartner(page, locale, 'temporarily_unavailable', state);
      }
    } finally {
      running.redis = await startRedisServer(running.redis.port);
      await Promise.all(flows.map(({ context }) => context.close()));
    }
  }, BROWSER_JOURNEY_TIMEOUT_MS);
});
