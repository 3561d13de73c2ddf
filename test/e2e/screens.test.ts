/**
 * Every customer screen in a real browser (Debian's Chromium), in Japanese and English, on a
 * desktop and a 390×844 phone: the exact texts of SPEC §3, fields in error, the locked page,
 * 連携サービス管理 with its confirmation page, the error page and the demo partner's page. Each
 * page is checked with axe-core (zero violations) and saved under test-output/screenshots/.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { projectRoot } from '../../src/settings/project-root.js';
import { BROWSER_JOURNEY_TIMEOUT_MS, launchChromium, screenshot } from '../support/browser.js';
import { createCustomer, pkcePair, REDIRECT_URI, registerClient, type TestClient } from '../support/oauth-fixtures.js';
import type { TestServer } from '../support/test-server.js';
import { startJourneyServer } from '../integration/journey/journey-kit.js';

const AXE_SOURCE = readFileSync(join(projectRoot(), 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
const TERMS_URL = 'https://bank.example/api/terms.html';
const CONTACT = { phone: '0120-111-222', hours: { ja: '平日 9:00〜17:00', en: 'Weekdays 9:00–17:00 JST' } };
const PARTNER = 'テスト家計簿アプリ';

type Locale = 'ja' | 'en';

/** SPEC §3, word for word (English: the same structure, ASCII brackets). */
const EXPECTED = {
  ja: {
    loginTitle: 'API連携認証（利用登録）',
    loginId: 'ログインID',
    password: 'ログインパスワード',
    login: 'API連携',
    cancel: '中止する',
    next: '次へ',
    noticeTitle: '※注意事項※',
    notice: [
      '本機能はお客様の金融情報をAPI連携事業者に提供するものです。',
      '「免責事項」欄に掲載する当信用組合のAPI利用規定のリンクより同規定を確認のうえ同意いただき、必ずお客様自身の責任において行っていただきますようお願いいたします。',
    ],
    disclaimer: '免責事項',
    terms: 'API利用規定',
    digitsTitle: 'API連携認証（利用登録）（利用者番号認証）',
    digitsHeading: '入力桁数の指定',
    digitsLegend: '利用者番号を入力',
    digit: (n: number) => `${n}桁目`,
    additionalTitle: 'API連携認証（追加認証）（利用登録）',
    additionalHeading: '追加認証入力',
    question: '質問',
    answer: '回答',
    hint: '(必須) 英数字 (全角16文字以内)',
    consentTitle: 'API連携認証（情報連携認可）',
    caution: 'ご注意',
    notes: (partner: string) => [
      `※この画面では、${partner}がお客様の各種情報へアクセスすることを許可するかどうかを確認します。`,
      `※「許可する」ボタンをクリックすることによって、お客様は${partner}の各種情報のアクセスを許可することになります。`,
      '※本アプリケーションへのアクセスは、金融機関へ連絡することによっていつでも解除することができます。',
    ],
    permissions: ['口座情報（口座一覧・残高）の照会', '入出金明細の照会'],
    manage: 'アクセスの許可は、連携サービス管理画面からもいつでも解除することができます。',
    allow: '許可する',
    expires: /^この画面の有効期限：(\d\d):(\d\d)$/,
    failed: 'ログインIDまたはログインパスワードが正しくありません。',
    digitsFailed: '入力された利用者番号が正しくありません。',
    answerFailed: '回答が正しくありません。',
    attemptsLeft: (n: number) => `あと${n}回誤って入力されますと、アカウントがロックされ、ご利用いただけなくなります。`,
    locked: 'このアカウントはロックされているため、ご利用いただけません。ロックの解除は、下記のお問い合わせ先までご連絡ください。',
    contact: 'お問い合わせ先',
    connectionsTitle: '連携サービス管理',
    connectionsLogin: 'ログイン',
    revoke: '連携解除',
    confirmTitle: '連携解除の確認',
    confirmLead: `${PARTNER}との連携を解除します。よろしいですか。`,
    back: '戻る',
    revoked: `${PARTNER}との連携を解除しました。`,
    none: '現在、API連携しているサービスはありません。',
    errorTitle: 'API連携を続けられません',
    requestId: 'お問い合わせ番号',
  },
  en: {
    loginTitle: 'API Connection Authentication (Registration)',
    loginId: 'Login ID',
    password: 'Login password',
    login: 'Connect',
    cancel: 'Cancel',
    next: 'Next',
    noticeTitle: '*Important notes*',
    notice: [
      'This function provides your financial information to an API partner.',
      'Please read and agree to our API Terms of Use through the link in the "Disclaimer" section below, and always proceed at your own responsibility.',
    ],
    disclaimer: 'Disclaimer',
    terms: 'API Terms of Use',
    digitsTitle: 'API Connection Authentication (Registration) (User Number Authentication)',
    digitsHeading: 'Digits requested',
    digitsLegend: 'Enter your user number',
    digit: (n: number) => `Digit ${n}`,
    additionalTitle: 'API Connection Authentication (Additional Authentication) (Registration)',
    additionalHeading: 'Additional authentication',
    question: 'Question',
    answer: 'Answer',
    hint: '(Required) Letters and digits (up to 16 characters)',
    consentTitle: 'API Connection Authentication (Authorization)',
    caution: 'Please note',
    notes: (partner: string) => [
      `* On this page you decide whether to allow ${partner} to access your information.`,
      `* By clicking "Allow", you allow ${partner} to access your information.`,
      "* You can end this application's access at any time by contacting us.",
    ],
    permissions: ['View account information (accounts and balances)', 'View deposit and withdrawal history'],
    manage: 'You can also end this access at any time on the Connected services page.',
    allow: 'Allow',
    expires: /^This page expires at (\d\d):(\d\d) \(JST\)$/,
    failed: 'The login ID or login password is incorrect.',
    digitsFailed: 'The user number digits are incorrect.',
    answerFailed: 'The answer is incorrect.',
    attemptsLeft: (n: number) => `${n === 1 ? 'One more incorrect entry' : `${n} more incorrect entries`} will lock your account.`,
    locked: 'This account is locked and cannot be used. To unlock it, please contact us as shown below.',
    contact: 'Contact us',
    connectionsTitle: 'Connected services',
    connectionsLogin: 'Log in',
    revoke: 'End connection',
    confirmTitle: 'End connection?',
    confirmLead: `You are about to end the connection with ${PARTNER}. Do you want to continue?`,
    back: 'Back',
    revoked: `The connection with ${PARTNER} has been ended.`,
    none: 'No service is connected through the API.',
    errorTitle: 'Cannot continue',
    requestId: 'Reference number',
  },
} as const;

const VIEWPORTS = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } } as const;
type Viewport = keyof typeof VIEWPORTS;

let server: TestServer;
let browser: Browser;
let client: TestClient;
let ipCounter = 0;

beforeAll(async () => {
  // the journey servers' proxy trust and per-IP budget, with these merged over them
  const config = { links: { apiTermsUrl: TERMS_URL }, bank: { contact: CONTACT }, risk: { additionalAuth: 'always' } };
  [server, browser] = await Promise.all([startJourneyServer(config, { RENKEI_DEMO: '1' }), launchChromium()]);
  client = await registerClient(server);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** A browser of its own (own cookies, own client IP so that nothing is throttled across tests). */
async function newContext(locale: Locale, viewport: Viewport): Promise<BrowserContext> {
  ipCounter += 1;
  const context = await browser.newContext({
    viewport: VIEWPORTS[viewport],
    locale: locale === 'ja' ? 'ja-JP' : 'en-GB',
    extraHTTPHeaders: { 'x-forwarded-for': `10.77.${Math.floor(ipCounter / 250)}.${(ipCounter % 250) + 1}` },
  });
  await context.route((url) => url.href.startsWith(REDIRECT_URI), (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<title>partner</title>' }));
  return context;
}

/** Zero axe-core violations (injected through the DevTools protocol, which the page's CSP does not govern). */
async function expectAccessible(page: Page): Promise<void> {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(
    `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => v.id + ': ' + v.help + ' @ ' + v.nodes.map((n) => n.target.join(' ')).join(', ')))`,
  );
  expect(violations).toEqual([]);
}

async function check(page: Page, name: string): Promise<void> {
  await expectAccessible(page);
  await screenshot(page, name);
}

const texts = (page: Page, selector: string) => page.locator(selector).allTextContents();
const focusedId = (page: Page) => page.evaluate('document.activeElement && document.activeElement.id');

/** The field that has the focus is in error and points at the message saying why. */
async function expectFocusedFieldInError(page: Page, id: string, message: string): Promise<void> {
  // autofocus runs once the page has rendered, a moment after the load
  await page.waitForFunction(`document.activeElement && document.activeElement.id === ${JSON.stringify(id)}`, undefined, { timeout: 3000 }).catch(() => undefined);
  expect(await focusedId(page)).toBe(id);
  const field = page.locator(`#${id}`);
  expect(await field.getAttribute('aria-invalid')).toBe('true');
  const describedBy = (await field.getAttribute('aria-describedby'))!.split(' ');
  expect(describedBy).toContain('step-error');
  expect(await page.locator('#step-error .error-message').textContent()).toBe(message);
}

/** `HH:MM` in Japan time about `seconds` from now (the interaction's lifetime). */
function expectExpiryNear(hhmm: readonly [string, string], seconds: number): void {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Tokyo', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const candidates = [-2, -1, 0, 1, 2].map((minutes) => parts.format(Date.now() + seconds * 1000 + minutes * 60_000));
  expect(candidates).toContain(`${hhmm[0]}:${hhmm[1]}`);
}

async function startAt(context: BrowserContext, locale: Locale, scope = 'openid accounts transactions'): Promise<{ page: Page; state: string }> {
  const page = await context.newPage();
  const state = `state-${locale}-${Math.random().toString(36).slice(2)}`;
  const params = new URLSearchParams({
    client_id: client.clientId, response_type: 'code', redirect_uri: REDIRECT_URI, scope, state,
    code_challenge: pkcePair().challenge, code_challenge_method: 'S256', ui_locales: locale,
  });
  await page.goto(`${server.issuer}/auth?${params}`);
  return { page, state };
}

async function fillDigits(page: Page, userNumber: string, locale: Locale, wrong = false): Promise<void> {
  const names = await Promise.all((await page.locator('fieldset input').all()).map(async (input) => (await input.getAttribute('name')) ?? ''));
  expect(names).toHaveLength(3);
  for (const name of names) {
    const position = Number(name.replace('digit_', ''));
    const digit = Number(userNumber[position - 1]!);
    await page.getByLabel(EXPECTED[locale].digit(position), { exact: true }).fill(String(wrong ? (digit + 1) % 10 : digit));
  }
}

describe.each([
  ['ja', 'desktop'],
  ['ja', 'phone'],
  ['en', 'desktop'],
  ['en', 'phone'],
] as const)('the screens in %s on a %s', (locale, viewport) => {
  const t = EXPECTED[locale];
  const shot = (n: string, name: string) => `screens-${locale}-${viewport}-${n}-${name}`;

  it('goes through login, digits, additional and consent with the exact texts, fields in error, to the partner', async () => {
    const customer = await createCustomer(server);
    const context = await newContext(locale, viewport);
    const { page, state } = await startAt(context, locale);

    // login
    expect(await page.title()).toBe(t.loginTitle);
    expect(await page.locator('html').getAttribute('lang')).toBe(locale);
    expect(await page.locator('.partner-name').textContent()).toBe(PARTNER);
    expect(await texts(page, 'section[aria-labelledby="notice-title"] h2')).toEqual([t.noticeTitle]);
    expect(await texts(page, 'section[aria-labelledby="notice-title"] p')).toEqual([...t.notice]);
    expect(await texts(page, 'section[aria-labelledby="disclaimer-title"] h2')).toEqual([t.disclaimer]);
    expect(await page.locator('section[aria-labelledby="disclaimer-title"]').getByRole('link', { name: t.terms, exact: true }).getAttribute('href')).toBe(TERMS_URL);
    expect((await texts(page, 'button')).sort()).toEqual([t.login, t.cancel].sort());
    const expiry = t.expires.exec((await page.locator('.expires').textContent()) ?? '');
    expect(expiry).not.toBeNull();
    expectExpiryNear([expiry![1]!, expiry![2]!], server.settings.config.ttl.interactionSeconds);
    await check(page, shot('01', 'login'));

    await page.getByLabel(t.loginId, { exact: true }).fill(customer.loginId);
    await page.getByLabel(t.password, { exact: true }).fill('not the password');
    await page.getByRole('button', { name: t.login, exact: true }).click();
    expect(await page.title()).toBe(t.loginTitle);
    await expectFocusedFieldInError(page, 'login-id', t.failed);
    expect(await page.getByLabel(t.loginId, { exact: true }).inputValue()).toBe(customer.loginId);
    expect(await page.getByLabel(t.password, { exact: true }).inputValue()).toBe('');
    await check(page, shot('02', 'login-error'));

    await page.getByLabel(t.password, { exact: true }).fill(customer.password);
    await page.getByRole('button', { name: t.login, exact: true }).click();

    // digits
    expect(await page.title()).toBe(t.digitsTitle);
    expect(await page.getByRole('heading', { level: 2 }).allTextContents()).toContain(t.digitsHeading);
    expect(await page.locator('fieldset legend').textContent()).toBe(t.digitsLegend);
    expect(await page.getByRole('group', { name: t.digitsLegend }).locator('input').count()).toBe(3);
    expect((await texts(page, 'button')).sort()).toEqual([t.next, t.cancel].sort());
    expect(await page.locator('.expires').textContent()).toMatch(t.expires);
    await check(page, shot('03', 'digits'));

    await fillDigits(page, customer.userNumber, locale, true);
    await page.getByRole('button', { name: t.next, exact: true }).click();
    expect(await page.title()).toBe(t.digitsTitle);
    const firstDigit = await page.locator('fieldset input').first().getAttribute('id');
    await expectFocusedFieldInError(page, firstDigit!, t.digitsFailed);
    for (const input of await page.locator('fieldset input').all()) expect(await input.getAttribute('aria-invalid')).toBe('true');
    await check(page, shot('04', 'digits-error'));
    await fillDigits(page, customer.userNumber, locale);
    await page.getByRole('button', { name: t.next, exact: true }).click();

    // additional authentication
    expect(await page.title()).toBe(t.additionalTitle);
    expect(await page.getByRole('heading', { level: 2 }).allTextContents()).toContain(t.additionalHeading);
    expect(await texts(page, '.question dt')).toEqual([t.question]);
    expect(await texts(page, '.question dd')).toEqual([customer.question]);
    expect(await page.locator('#answer-hint').textContent()).toBe(t.hint);
    expect(await page.getByLabel(t.answer, { exact: true }).getAttribute('maxlength')).toBe('16');
    expect((await texts(page, 'button')).sort()).toEqual([t.next, t.cancel].sort());
    await check(page, shot('05', 'additional'));

    await page.getByLabel(t.answer, { exact: true }).fill('みどり');
    await page.getByRole('button', { name: t.next, exact: true }).click();
    await expectFocusedFieldInError(page, 'answer', t.answerFailed);
    // three failures so far: two left before the lock, and the page says so
    expect(await page.locator('#step-error .attempts-left').textContent()).toBe(t.attemptsLeft(2));
    await check(page, shot('06', 'additional-error'));
    await page.getByLabel(t.answer, { exact: true }).fill('ｱｵ');
    await page.getByRole('button', { name: t.next, exact: true }).click();

    // consent
    expect(await page.title()).toBe(t.consentTitle);
    const caution = page.locator('section[aria-labelledby="consent-heading"]');
    expect(await caution.getByRole('heading', { level: 2 }).textContent()).toBe(`⚠${t.caution}`);
    expect(await caution.getByRole('heading', { name: t.caution, exact: true }).count()).toBe(1);
    expect(await caution.locator('p').allTextContents()).toEqual(t.notes(PARTNER));
    expect(await texts(page, '.permissions li')).toEqual([...t.permissions]);
    expect(await page.getByText(t.manage, { exact: true }).count()).toBe(1);
    expect((await texts(page, 'button')).sort()).toEqual([t.allow, t.cancel].sort());
    expect(await page.locator('.expires').textContent()).toMatch(t.expires);
    await check(page, shot('07', 'consent'));

    await page.getByRole('button', { name: t.allow, exact: true }).click();
    await page.waitForURL((url) => url.href.startsWith(REDIRECT_URI));
    const landed = new URL(page.url());
    expect(landed.searchParams.get('code')).toBeTruthy();
    expect(landed.searchParams.get('state')).toBe(state);
    expect(landed.searchParams.get('iss')).toBe(server.issuer);

    // 連携サービス管理: the partner, 連携解除 confirmed on its own page, then the empty list
    const manage = await context.newPage();
    await manage.goto(`${server.issuer}/account/connections${locale === 'en' ? '?ui_locales=en' : ''}`);
    expect(await manage.title()).toBe(t.connectionsTitle);
    await check(manage, shot('08', 'connections-login'));
    await manage.getByLabel(t.loginId, { exact: true }).fill(customer.loginId);
    await manage.getByLabel(t.password, { exact: true }).fill(customer.password);
    await manage.getByRole('button', { name: t.connectionsLogin, exact: true }).click();
    await fillDigits(manage, customer.userNumber, locale);
    await check(manage, shot('09', 'connections-digits'));
    await manage.getByRole('button', { name: t.next, exact: true }).click();
    expect(await manage.title()).toBe(t.connectionsTitle);
    expect(await texts(manage, '.connection .partner-name')).toEqual([PARTNER]);
    await check(manage, shot('10', 'connections-list'));
    // dates as the consent screen writes the connection's expiry (2027年3月3日, 3 March 2027), with the time
    const sinceAndExpiry = await manage.locator('.connection dd').evaluateAll((dds) => [dds[1]!.textContent, dds.at(-1)!.textContent]);
    expect(sinceAndExpiry).toEqual(locale === 'ja'
      ? [expect.stringMatching(/^\d{4}年\d{1,2}月\d{1,2}日 \d{1,2}:\d{2}$/), expect.stringMatching(/^\d{4}年\d{1,2}月\d{1,2}日$/)]
      : [expect.stringMatching(/^\d{1,2} [A-Z][a-z]+ \d{4} at \d{2}:\d{2}$/), expect.stringMatching(/^\d{1,2} [A-Z][a-z]+ \d{4}$/)]);
    // the permissions list keeps more than half the card's width (on a phone, under its heading rather than beside it),
    // and the button stands apart from the details above it
    const card = (await manage.locator('.connection').boundingBox())!;
    const permissions = (await manage.locator('.connection dd ul').first().boundingBox())!;
    expect(permissions.width).toBeGreaterThan(card.width * 0.55);
    const details = (await manage.locator('.connection dl').boundingBox())!;
    const button = (await manage.locator('.connection button').first().boundingBox())!;
    expect(button.y).toBeGreaterThanOrEqual(details.y + details.height + 12);
    // the button's name is exactly its text (SPEC §3); the partner's name describes it
    const revoke = manage.locator('.connection').filter({ hasText: PARTNER }).getByRole('button', { name: t.revoke, exact: true });
    const describedBy = (await revoke.getAttribute('aria-describedby'))!;
    expect(await manage.locator(`#${describedBy}`).textContent()).toBe(PARTNER);
    await revoke.click();
    expect(await manage.title()).toBe(t.confirmTitle);
    expect(await manage.getByText(t.confirmLead, { exact: true }).count()).toBe(1);
    expect(await manage.locator('.effects li').count()).toBe(3);
    expect((await texts(manage, 'button')).sort()).toEqual([t.back, t.revoke].sort());
    // nothing is revoked before the customer confirms
    expect(await server.app.grants.listForCustomer(customer.sub)).toHaveLength(1);
    await check(manage, shot('11', 'connections-confirm'));
    await manage.getByRole('button', { name: t.revoke, exact: true }).click();
    expect(await manage.locator('.flash').textContent()).toBe(t.revoked);
    expect(await texts(manage, '.empty')).toEqual([t.none]);
    expect(await manage.locator('.connection').count()).toBe(0);
    expect(await server.app.grants.listForCustomer(customer.sub)).toEqual([]);
    await check(manage, shot('12', 'connections-empty'));
    await context.close();
  }, BROWSER_JOURNEY_TIMEOUT_MS);

  it('warns when attempts are few, then locks: a final page with the contact and no form; error pages speak the customer’s language', async () => {
    const customer = await createCustomer(server);
    const context = await newContext(locale, viewport);
    const { page } = await startAt(context, locale);
    for (let i = 0; i < 2; i++) await server.app.lockout.recordFailure(customer.sub);

    const wrongPassword = async () => {
      await page.getByLabel(t.loginId, { exact: true }).fill(customer.loginId);
      await page.getByLabel(t.password, { exact: true }).fill('not the password');
      await page.getByRole('button', { name: t.login, exact: true }).click();
    };
    await wrongPassword();
    expect(await page.locator('#step-error .attempts-left').textContent()).toBe(t.attemptsLeft(2));
    await wrongPassword();
    expect(await page.locator('#step-error .attempts-left').textContent()).toBe(t.attemptsLeft(1));
    await expectFocusedFieldInError(page, 'login-id', t.failed);
    await check(page, shot('21', 'login-one-attempt-left'));
    await wrongPassword();
    expect(await page.locator('#step-error .attempts-left').count()).toBe(0);

    await page.getByLabel(t.password, { exact: true }).fill(customer.password);
    await page.getByRole('button', { name: t.login, exact: true }).click();
    expect(await page.locator('.error-message').textContent()).toBe(t.locked);
    // nothing to try again with: the only form is 連携先に戻る
    expect(await page.locator('form:not(.return-to-partner)').count()).toBe(0);
    expect(await page.locator('input:not([type="hidden"])').count()).toBe(0);
    expect(await texts(page, 'button')).toEqual([locale === 'ja' ? '連携先に戻る' : `Return to ${PARTNER}`]);
    expect(await page.getByRole('heading', { name: t.contact, exact: true }).count()).toBe(1);
    expect(await page.getByRole('link', { name: CONTACT.phone }).getAttribute('href')).toBe('tel:0120111222');
    expect(await page.locator('.contact dd').last().textContent()).toBe(CONTACT.hours[locale]);
    await check(page, shot('22', 'locked'));

    const error = await context.newPage();
    await error.goto(`${server.issuer}/auth?client_id=no-such-client&response_type=code&scope=openid&ui_locales=${locale}`);
    expect(await error.title()).toBe(t.errorTitle);
    expect(await error.locator('html').getAttribute('lang')).toBe(locale);
    expect(await error.locator('.error-details dt').allTextContents()).toContain(t.requestId);
    expect(await error.locator('main').textContent()).not.toMatch(/client is invalid|not found|redirect_uri did not/);
    expect(await error.getByRole('link', { name: CONTACT.phone }).count()).toBe(1);
    await check(error, shot('23', 'error'));
    await context.close();
  });
});

describe('the demo partner page', () => {
  it.each(['desktop', 'phone'] as const)('wears the partner’s header, not the bank’s (%s)', async (viewport) => {
    const context = await newContext('ja', viewport);
    const page = await context.newPage();
    await page.goto(`${server.issuer}/demo`);
    expect(await page.locator('.site-header').count()).toBe(0);
    expect(await page.locator('.partner-header .partner-brand').textContent()).toBe('デモ家計簿アプリ');
    expect(await page.locator('header').textContent()).not.toContain(server.settings.config.bank.nameJa);
    await check(page, `screens-demo-${viewport}`);
    await context.close();
  });
});

