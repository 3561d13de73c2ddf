import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { callbackParams, positionsOf } from '../../support/browserless.js';
import { digitsFor } from '../../support/journey.js';
import { createCustomer, type TestClient, type TestCustomer } from '../../support/oauth-fixtures.js';
import type { TestServer } from '../../support/test-server.js';
import {
  attributeOf,
  authorize,
  buttonsOf,
  controlLabelled,
  expectAccessibleForm,
  expectPageHeaders,
  postAndLand,
  registerPartner,
  startJourneyServer,
  titleOf,
  type Page,
  ClientBrowser,
} from './journey-kit.js';

const TERMS_URL = 'https://bank.example/api/terms-2026.html';
const PARTNER = 'テスト家計簿アプリ';

let server: TestServer;
let client: TestClient;
beforeAll(async () => {
  server = await startJourneyServer({ links: { apiTermsUrl: TERMS_URL } });
  client = await registerPartner(server, { name: PARTNER });
});
afterAll(() => server.close());

/** The text of each `<li>` of the page. */
const listItems = (html: string) => [...html.matchAll(/<li>([^<]*)<\/li>/g)].map((m) => m[1]!);
/** The text of each `<p>` of a fragment. */
const paragraphs = (html: string) => [...html.matchAll(/<p>([^<]*)<\/p>/g)].map((m) => unescapeHtml(m[1]!));
const unescapeHtml = (text: string) => text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const sectionOf = (html: string, headingId: string) => new RegExp(`<section[^>]*aria-labelledby="${headingId}"[\\s\\S]*?</section>`).exec(html)?.[0] ?? '';
const headingText = (html: string, id: string) => new RegExp(`<h2 id="${id}">(?:<span[^>]*>[^<]*</span>)?([^<]*)</h2>`).exec(html)?.[1];
const EXPIRY = /<p class="expires">この画面の有効期限：([0-2]\d:[0-5]\d)<\/p>/;
const EXPIRY_EN = /<p class="expires">This page expires at ([0-2]\d:[0-5]\d) \(JST\)<\/p>/;

/** Walks the four screens (new browser, so the additional one is asked), collecting each page. */
async function walkScreens(customer: TestCustomer, locale?: 'en') {
  const extra: Record<string, string> = { prompt: 'consent', ...(locale ? { ui_locales: locale } : {}) };
  const { browser, state, page: login } = await authorize(server, client, { scope: 'openid offline_access accounts transactions', extra });
  const digits = await postAndLand(browser, login, 'login', { login_id: customer.loginId, password: customer.password });
  const additional = await postAndLand(browser, digits, 'digits', digitsFor(customer, digits.html));
  const consent = await postAndLand(browser, additional, 'additional', { answer: customer.answer });
  const end = await postAndLand(browser, consent, 'consent', {});
  return { state, login, digits, additional, consent, end };
}

function expectScreen(page: Page): void {
  expect(page.response.status).toBe(200);
  expectPageHeaders(page.response, page.html);
  expect(page.html).toContain(`<strong class="partner-name">${PARTNER}</strong>`);
}

describe('the screens in Japanese (SPEC §3, the default)', () => {
  let screens: Awaited<ReturnType<typeof walkScreens>>;
  beforeAll(async () => {
    screens = await walkScreens(await createCustomer(server));
  });

  it('login: title, partner name, labelled login ID and password, API連携 and 中止する, ※注意事項※ verbatim and the API利用規定 link under 免責事項', () => {
    const { html } = screens.login;
    expectScreen(screens.login);
    expect(html).toContain('<html lang="ja">');
    expect(titleOf(html)).toBe('API連携認証（利用登録）');
    expect(attributeOf(controlLabelled(html, 'ログインID'), 'name')).toBe('login_id');
    const password = controlLabelled(html, 'ログインパスワード');
    expect(attributeOf(password, 'name')).toBe('password');
    expect(attributeOf(password, 'type')).toBe('password');
    expect(buttonsOf(html).sort()).toEqual(['API連携', '中止する'].sort());
    expectAccessibleForm(html);

    const notice = sectionOf(html, 'notice-title');
    expect(headingText(notice, 'notice-title')).toBe('※注意事項※');
    expect(paragraphs(notice)).toEqual([
      '本機能はお客様の金融情報をAPI連携事業者に提供するものです。',
      '「免責事項」欄に掲載する当信用組合のAPI利用規定のリンクより同規定を確認のうえ同意いただき、必ずお客様自身の責任において行っていただきますようお願いいたします。',
    ]);
    const disclaimer = sectionOf(html, 'disclaimer-title');
    expect(headingText(disclaimer, 'disclaimer-title')).toBe('免責事項');
    expect(/<a\b[^>]*href="([^"]+)"[^>]*>API利用規定<\/a>/.exec(disclaimer)?.[1]).toBe(TERMS_URL);
    // the link opens a new tab, and says so (its name stays exactly API利用規定)
    expect(disclaimer).toContain('target="_blank" aria-describedby="terms-new-tab">API利用規定</a> <span id="terms-new-tab" class="new-tab">（新しいタブで開きます）</span>');
    expect(html).toMatch(EXPIRY);
  });

  it('digit challenge: title, 入力桁数の指定, one labelled input per asked position (N桁目) in a fieldset 利用者番号を入力, 中止する and 次へ', () => {
    const { html } = screens.digits;
    expectScreen(screens.digits);
    expect(titleOf(html)).toBe('API連携認証（利用登録）（利用者番号認証）');
    expect(html).toContain('<h2>入力桁数の指定</h2>');
    const fieldset = /<fieldset\b[\s\S]*?<\/fieldset>/.exec(html)?.[0] ?? '';
    expect(fieldset).toContain('<legend>利用者番号を入力</legend>');
    expect(positionsOf(fieldset)).toEqual(positionsOf(html));
    expect(html).toMatch(EXPIRY);
    const positions = positionsOf(html);
    expect(positions).toHaveLength(3);
    expect(new Set(positions).size).toBe(3);
    for (const position of positions) {
      expect(position).toBeGreaterThanOrEqual(1);
      expect(position).toBeLessThanOrEqual(10);
      expect(attributeOf(controlLabelled(html, `${position}桁目`), 'name')).toBe(`digit_${position}`);
    }
    expect(buttonsOf(html).sort()).toEqual(['中止する', '次へ'].sort());
    expectAccessibleForm(html);
  });

  it('additional authentication: title, 追加認証入力, 質問 with the secret question, a required 回答 input of up to 16 characters with its hint', () => {
    const { html } = screens.additional;
    expectScreen(screens.additional);
    expect(titleOf(html)).toBe('API連携認証（追加認証）（利用登録）');
    expect(html).toContain('<h2>追加認証入力</h2>');
    expect(html).toContain('<p id="answer-hint" class="hint">(必須) 英数字 (全角16文字以内)</p>');
    expect(attributeOf(controlLabelled(html, '回答'), 'aria-describedby')).toBe('answer-hint');
    expect(html).toMatch(EXPIRY);
    expect(html).toMatch(/>質問<[\s\S]{0,40}>好きな色は？</);
    const answer = controlLabelled(html, '回答');
    expect(attributeOf(answer, 'name')).toBe('answer');
    expect(answer).toMatch(/\brequired\b/);
    expect(attributeOf(answer, 'maxlength')).toBe('16');
    expect(buttonsOf(html).sort()).toEqual(['中止する', '次へ'].sort());
    expectAccessibleForm(html);
  });

  it('consent: title, ご注意 with a warning mark and the manual’s ※ lines naming the partner, one line per permission, the 連携サービス管理 line, 中止する and 許可する', () => {
    const { html } = screens.consent;
    expectScreen(screens.consent);
    expect(titleOf(html)).toBe('API連携認証（情報連携認可）');
    expect(html).toContain('<h2 id="consent-heading"><span class="warning-mark" aria-hidden="true">⚠</span>ご注意</h2>');
    expect(paragraphs(sectionOf(html, 'consent-heading'))).toEqual([
      `※この画面では、${PARTNER}がお客様の各種情報へアクセスすることを許可するかどうかを確認します。`,
      `※「許可する」ボタンをクリックすることによって、お客様は${PARTNER}の各種情報のアクセスを許可することになります。`,
      '※本アプリケーションへのアクセスは、金融機関へ連絡することによっていつでも解除することができます。',
    ]);
    const lines = listItems(html);
    expect(lines).toEqual(['お客様が操作していない間の継続的なアクセス', '口座情報（口座一覧・残高）の照会', '入出金明細の照会']);
    expect(html).toMatch(/<p>アクセスの許可は、<a href="\/account\/connections\?ui_locales=ja">連携サービス管理<\/a>画面からもいつでも解除することができます。<\/p>/);
    expect(html).toMatch(EXPIRY);
    expect(buttonsOf(html).sort()).toEqual(['中止する', '許可する'].sort());
  });

  it('許可する ends at the partner with code, state and iss', () => {
    expect(screens.end.response.status).toBe(303);
    const params = callbackParams(screens.end.url);
    expect(params.get('code')).toBeTruthy();
    expect(params.get('state')).toBe(screens.state);
    expect(params.get('iss')).toBe(server.issuer);
  });
});

describe('the screens in English (ui_locales=en)', () => {
  let screens: Awaited<ReturnType<typeof walkScreens>>;
  beforeAll(async () => {
    screens = await walkScreens(await createCustomer(server), 'en');
  });

  it('login', () => {
    const { html } = screens.login;
    expectScreen(screens.login);
    expect(html).toContain('<html lang="en">');
    expect(titleOf(html)).toBe('API Connection Authentication (Registration)');
    expect(attributeOf(controlLabelled(html, 'Login ID'), 'name')).toBe('login_id');
    expect(attributeOf(controlLabelled(html, 'Login password'), 'name')).toBe('password');
    expect(buttonsOf(html).sort()).toEqual(['Cancel', 'Connect']);
    const notice = sectionOf(html, 'notice-title');
    expect(headingText(notice, 'notice-title')).toBe('*Important notes*');
    expect(paragraphs(notice)).toEqual([
      'This function provides your financial information to an API partner.',
      'Please read and agree to our API Terms of Use through the link in the "Disclaimer" section below, and always proceed at your own responsibility.',
    ]);
    const disclaimer = sectionOf(html, 'disclaimer-title');
    expect(headingText(disclaimer, 'disclaimer-title')).toBe('Disclaimer');
    expect(/<a\b[^>]*href="([^"]+)"[^>]*>API Terms of Use<\/a>/.exec(disclaimer)?.[1]).toBe(TERMS_URL);
    expect(disclaimer).toContain('<span id="terms-new-tab" class="new-tab">(opens in a new tab)</span>');
    expect(html).toMatch(EXPIRY_EN);
    expect(html).not.toMatch(/API連携認証|ログインID|中止する|[（）]/);
  });

  it('digit challenge', () => {
    const { html } = screens.digits;
    expectScreen(screens.digits);
    expect(titleOf(html)).toBe('API Connection Authentication (Registration) (User Number Authentication)');
    expect(html).toContain('<h2>Digits requested</h2>');
    expect(html).toContain('<legend>Enter your user number</legend>');
    expect(html).toMatch(EXPIRY_EN);
    const positions = positionsOf(html);
    expect(positions).toHaveLength(3);
    for (const position of positions) expect(attributeOf(controlLabelled(html, `Digit ${position}`), 'name')).toBe(`digit_${position}`);
    expect(buttonsOf(html).sort()).toEqual(['Cancel', 'Next']);
    expect(html).not.toMatch(/桁目|次へ/);
  });

  it('additional authentication', () => {
    const { html } = screens.additional;
    expectScreen(screens.additional);
    expect(titleOf(html)).toBe('API Connection Authentication (Additional Authentication) (Registration)');
    expect(html).toContain('<h2>Additional authentication</h2>');
    expect(html).toContain('<p id="answer-hint" class="hint">(Required) Letters and digits (up to 16 characters)</p>');
    expect(html).toMatch(/>Question<[\s\S]{0,40}>好きな色は？</);
    expect(html).toMatch(EXPIRY_EN);
    expect(attributeOf(controlLabelled(html, 'Answer'), 'name')).toBe('answer');
    expect(buttonsOf(html).sort()).toEqual(['Cancel', 'Next']);
  });

  it('consent', () => {
    const { html } = screens.consent;
    expectScreen(screens.consent);
    expect(titleOf(html)).toBe('API Connection Authentication (Authorization)');
    expect(headingText(html, 'consent-heading')).toBe('Please note');
    expect(paragraphs(sectionOf(html, 'consent-heading'))).toEqual([
      `* On this page you decide whether to allow ${PARTNER} to access your information.`,
      `* By clicking "Allow", you allow ${PARTNER} to access your information.`,
      "* You can end this application's access at any time by contacting us.",
    ]);
    expect(html).toMatch(/<p>You can also end this access at any time on the <a href="\/account\/connections\?ui_locales=en">Connected services<\/a> page.<\/p>/);
    expect(html).toMatch(EXPIRY_EN);
    expect(listItems(html)).toEqual(
      expect.arrayContaining(['View account information (accounts and balances)', 'View deposit and withdrawal history', 'Continued access while you are away']),
    );
    expect(html).not.toMatch(/口座情報|入出金明細/);
    expect(buttonsOf(html).sort()).toEqual(['Allow', 'Cancel']);
    expect(callbackParams(screens.end.url).get('code')).toBeTruthy();
  });
});

// fixed positions per customer: digit-challenge-edges.test.ts
describe('the digit challenge positions', () => {
  it('number challenge.digits from config (and the consent lines come from the configured catalogue)', async () => {
    const four = await startJourneyServer({ challenge: { digits: 4 }, scopes: { transactions: { ja: '入出金明細の照会（当組合の文言）' } } });
    try {
      const partner = await registerPartner(four);
      const customer = await createCustomer(four);
      const { browser, page } = await authorize(four, partner, { scope: 'openid accounts transactions' });
      const digits = await postAndLand(browser, page, 'login', { login_id: customer.loginId, password: customer.password });
      const positions = positionsOf(digits.html);
      expect(positions).toHaveLength(4);
      expect(new Set(positions).size).toBe(4);
      const next = await postAndLand(browser, digits, 'digits', digitsFor(customer, digits.html));
      expect(next.html).toContain('追加認証入力');
      const consent = await postAndLand(browser, next, 'additional', { answer: customer.answer });
      expect(titleOf(consent.html)).toBe('API連携認証（情報連携認可）');
      expect(listItems(consent.html)).toEqual(['口座情報（口座一覧・残高）の照会', '入出金明細の照会（当組合の文言）']);
    } finally {
      await four.close();
    }
  });
});

describe('the language is chosen at the authorization request (SPEC §3)', () => {
  /** A browser that says English at the authorization request and Japanese at every request after it. */
  class ChangingMindBrowser extends ClientBrowser {
    private requests = 0;
    override request(url: string, init: RequestInit = {}): Promise<Response> {
      const language = this.requests++ === 0 ? 'en' : 'ja';
      return super.request(url, { ...init, headers: { 'accept-language': language, ...(init.headers as Record<string, string> | undefined) } });
    }
  }

  it('keeps the Accept-Language of the authorization request for every screen, the consent included, whatever later requests say', async () => {
    const customer = await createCustomer(server);
    const browser = new ChangingMindBrowser(server.issuer);
    const { page: login } = await authorize(server, client, { browser, extra: { prompt: 'consent' } });
    expect(titleOf(login.html)).toBe('API Connection Authentication (Registration)');
    const digits = await postAndLand(browser, login, 'login', { login_id: customer.loginId, password: customer.password });
    expect(titleOf(digits.html)).toBe('API Connection Authentication (Registration) (User Number Authentication)');
    const additional = await postAndLand(browser, digits, 'digits', digitsFor(customer, digits.html));
    const consent = await postAndLand(browser, additional, 'additional', { answer: customer.answer });
    expect(titleOf(consent.html)).toBe('API Connection Authentication (Authorization)');
    expect(consent.html).toContain('<html lang="en">');
  });
});
