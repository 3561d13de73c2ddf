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

  it('login: title, partner name, labelled login ID and password, API連携 and 中止する, 注意事項 and the 免責事項 link from config', () => {
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

    const notice = /<section class="notice"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
    expect(notice).toContain('注意事項');
    expect(notice).toMatch(/金融情報[^<]*API連携先/);
    const terms = /<a\b[^>]*href="([^"]+)"[^>]*>免責事項<\/a>/.exec(notice);
    expect(terms?.[1]).toBe(TERMS_URL);
  });

  it('digit challenge: 利用者番号認証, 入力桁数の指定, one labelled input per asked position (N桁目), 中止する and 次へ', () => {
    const { html } = screens.digits;
    expectScreen(screens.digits);
    expect(titleOf(html)).toContain('利用者番号認証');
    expect(html).toContain('入力桁数の指定');
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

  it('additional authentication: 追加認証, 追加認証入力, 質問 with the secret question, a required 回答 input of up to 16 characters', () => {
    const { html } = screens.additional;
    expectScreen(screens.additional);
    expect(titleOf(html)).toContain('追加認証');
    expect(html).toContain('追加認証入力');
    expect(html).toMatch(/>質問<[\s\S]{0,40}>好きな色は？</);
    const answer = controlLabelled(html, '回答');
    expect(attributeOf(answer, 'name')).toBe('answer');
    expect(answer).toMatch(/\brequired\b/);
    expect(attributeOf(answer, 'maxlength')).toBe('16');
    expect(buttonsOf(html).sort()).toEqual(['中止する', '次へ'].sort());
    expectAccessibleForm(html);
  });

  it('consent: title, ご注意, the partner, one line per permission from the scope catalogue, what 許可する does and how to end it, 中止する and 許可する', () => {
    const { html } = screens.consent;
    expectScreen(screens.consent);
    expect(titleOf(html)).toBe('API連携認証（情報連携認可）');
    expect(html).toContain('ご注意');
    const lines = listItems(html);
    expect(lines).toEqual(expect.arrayContaining(['口座情報（口座一覧・残高）の照会', '入出金明細の照会', 'お客さまが操作していない間の継続的なアクセス']));
    expect(lines).not.toContain('振込の依頼');
    expect(html).toMatch(new RegExp(`<p>[^<]*許可する[^<]*${PARTNER}[^<]*アクセス[^<]*</p>`));
    expect(html).toContain('連携サービス管理');
    expect(html).toMatch(/<a href="\/account\/connections[^"]*">連携サービス管理<\/a>/);
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
    expect(html).toContain('Notes');
    expect(html).toMatch(/financial information[^<]*API partner/);
    expect(/<a\b[^>]*href="([^"]+)"[^>]*>Disclaimer<\/a>/.exec(html)?.[1]).toBe(TERMS_URL);
    expect(html).not.toMatch(/API連携認証|ログインID|中止する/);
  });

  it('digit challenge', () => {
    const { html } = screens.digits;
    expectScreen(screens.digits);
    expect(titleOf(html)).toBe('User Number Authentication');
    expect(html).toContain('Digits requested');
    const positions = positionsOf(html);
    expect(positions).toHaveLength(3);
    for (const position of positions) expect(attributeOf(controlLabelled(html, `Digit ${position}`), 'name')).toBe(`digit_${position}`);
    expect(buttonsOf(html).sort()).toEqual(['Cancel', 'Next']);
    expect(html).not.toMatch(/桁目|次へ/);
  });

  it('additional authentication', () => {
    const { html } = screens.additional;
    expectScreen(screens.additional);
    expect(titleOf(html)).toBe('Additional Authentication');
    expect(html).toMatch(/>Question<[\s\S]{0,40}>好きな色は？</);
    expect(attributeOf(controlLabelled(html, 'Answer'), 'name')).toBe('answer');
    expect(buttonsOf(html).sort()).toEqual(['Cancel', 'Next']);
  });

  it('consent', () => {
    const { html } = screens.consent;
    expectScreen(screens.consent);
    expect(titleOf(html)).toBe('API Connection Authentication (Authorization)');
    expect(html).toContain('Please note');
    expect(listItems(html)).toEqual(
      expect.arrayContaining(['View account information (accounts and balances)', 'View deposit and withdrawal history', 'Continued access while you are away']),
    );
    expect(html).not.toMatch(/口座情報|入出金明細/);
    expect(buttonsOf(html).sort()).toEqual(['Allow', 'Cancel']);
    expect(callbackParams(screens.end.url).get('code')).toBeTruthy();
  });
});

describe('the digit challenge positions', () => {
  it('are chosen at random per interaction', async () => {
    const customer = await createCustomer(server);
    const seen = new Set<string>();
    for (let i = 0; i < 4; i++) {
      const { browser, page } = await authorize(server, client);
      const digits = await postAndLand(browser, page, 'login', { login_id: customer.loginId, password: customer.password });
      seen.add(positionsOf(digits.html).join(','));
    }
    // the same 3 of 10 positions four times running happens once in 1.7 million
    expect(seen.size).toBeGreaterThan(1);
  });

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
