import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_CUSTOMER } from '../../src/demo/seed-demo.js';
import { launchChromium, screenshot } from '../support/browser.js';
import { pkcePair, REDIRECT_URI, registerClient, createCustomer, type TestCustomer } from '../support/oauth-fixtures.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startTestServer({ env: { RENKEI_DEMO: '1' } });
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function typeDigits(page: Page, userNumber: string, labelFor: (n: number) => RegExp): Promise<void> {
  const labels = await page.getByRole('group', { name: /^(利用者番号を入力|Enter your user number)$/ }).locator('label').allTextContents();
  expect(labels.length).toBe(3);
  for (const label of labels) {
    const position = Number(/\d+/.exec(label)![0]);
    await page.getByLabel(labelFor(position)).fill(userNumber[position - 1]!);
  }
}

describe('the customer journey in a real browser', () => {
  it('runs the demo partner’s flow in Japanese: every screen, then tokens, ID token and userinfo', async () => {
    const context = await browser.newContext({ locale: 'ja-JP' });
    const page = await context.newPage();
    await page.goto(`${server.issuer}/demo`);
    await screenshot(page, '00-demo-partner');
    await page.getByRole('button', { name: 'API連携を開始する' }).click();

    await expect(page.title()).resolves.toBe('API連携認証（利用登録）');
    await expect(page.locator('.partner-name').textContent()).resolves.toBe('デモ家計簿アプリ');
    await expect(page.getByRole('link', { name: 'API利用規定' }).getAttribute('href')).resolves.toBe(server.settings.config.links.apiTermsUrl);
    await screenshot(page, '01-login-ja');
    await page.getByLabel('ログインID').fill(DEMO_CUSTOMER.loginId);
    await page.getByLabel('ログインパスワード').fill(DEMO_CUSTOMER.password);
    await page.getByRole('button', { name: 'API連携' }).click();

    await expect(page.title()).resolves.toBe('API連携認証（利用登録）（利用者番号認証）');
    await page.getByText('入力桁数の指定').first().waitFor();
    await screenshot(page, '02-digits-ja');
    await typeDigits(page, DEMO_CUSTOMER.userNumber, (n) => new RegExp(`^${n}桁目$`));
    await page.getByRole('button', { name: '次へ' }).click();

    await expect(page.title()).resolves.toBe('API連携認証（追加認証）（利用登録）');
    await page.getByText(DEMO_CUSTOMER.question).first().waitFor();
    await screenshot(page, '03-additional-ja');
    await page.getByLabel('回答').fill(DEMO_CUSTOMER.answer);
    await page.getByRole('button', { name: '次へ' }).click();

    await expect(page.title()).resolves.toBe('API連携認証（情報連携認可）');
    await page.getByText('口座情報（口座一覧・残高）の照会').first().waitFor();
    await screenshot(page, '04-consent-ja');
    // the demo customer has two accounts: the customer picks at least one
    await page.getByRole('checkbox').first().check();
    await page.getByRole('button', { name: '許可する' }).click();

    await expect(page.title()).resolves.toBe('API連携が完了しました');
    const text = await page.locator('main').textContent();
    expect(text).toContain('"access_token"');
    expect(text).toContain('nonce一致');
    expect(text).toContain('UserInfo レスポンス（HTTP 200）');
    await screenshot(page, '05-demo-result');

    // Back from the partner: the bank says the connection is complete, and 連携先に戻る leads to a
    // partner that knows this state was completed (not to "API連携は完了しませんでした")
    await page.goBack();
    await expect(page.title()).resolves.toBe('API連携の手続きは完了しています');
    await screenshot(page, '06-completed-after-back');
    await page.getByRole('button', { name: '連携先に戻る' }).click();
    await expect(page.title()).resolves.toBe('API連携は完了しています');
    await context.close();
  });

  it('Back after a wrong password and then the right one shows the step as it stands, not a "Confirm Form Resubmission" page, and sends nothing again', async () => {
    const customer = await createCustomer(server);
    const context = await browser.newContext({ locale: 'ja-JP' });
    const page = await context.newPage();
    await page.goto(`${server.issuer}/demo`);
    await page.getByRole('button', { name: 'API連携を開始する' }).click();
    await page.getByLabel('ログインID').fill(customer.loginId);
    await page.getByLabel('ログインパスワード').fill('wrong password');
    await page.getByRole('button', { name: 'API連携' }).click();
    await expect(page.getByRole('alert').innerText()).resolves.toBe('ログインIDまたはログインパスワードが正しくありません。');
    await page.getByLabel('ログインパスワード').fill(customer.password);
    await page.getByRole('button', { name: 'API連携' }).click();
    await expect(page.title()).resolves.toBe('API連携認証（利用登録）（利用者番号認証）');

    // Back to the wrong password's page: the interaction's address again, now at the digit step
    await page.goBack();
    expect(new URL(page.url()).searchParams.has('shown')).toBe(true);
    await expect(page.title()).resolves.toBe('API連携認証（利用登録）（利用者番号認証）');
    expect(await page.getByRole('alert').count()).toBe(0);
    await page.reload();
    await expect(page.title()).resolves.toBe('API連携認証（利用登録）（利用者番号認証）');
    // one wrong password, counted once: neither Back nor the reload sent it again
    expect(server.logs.events().filter((event) => event.event === 'login.failure' && event.login_id === customer.loginId)).toHaveLength(1);
    await context.close();
  });

  it('shows the screens in English with ui_locales=en, and lands at the partner with code, state and iss', async () => {
    const client = await registerClient(server);
    const customer = await createCustomer(server);
    const context = await browser.newContext();
    const page = await context.newPage();
    const state = 'english-state';
    const { challenge } = pkcePair();
    let landed: URL | undefined;
    await page.route((url) => url.href.startsWith(REDIRECT_URI), async (route) => {
      landed = new URL(route.request().url());
      await route.fulfill({ status: 200, contentType: 'text/html', body: '<title>partner</title>' });
    });
    const params = new URLSearchParams({ client_id: client.clientId, response_type: 'code', redirect_uri: REDIRECT_URI, scope: 'openid accounts transfers', state, code_challenge: challenge, code_challenge_method: 'S256', ui_locales: 'en' });
    await page.goto(`${server.issuer}/auth?${params}`);

    await expect(page.title()).resolves.toBe('API Connection Authentication (Registration)');
    await screenshot(page, '11-login-en');
    await page.getByLabel('Login ID').fill(customer.loginId);
    await page.getByLabel('Login password').fill(customer.password);
    await page.getByRole('button', { name: 'Connect' }).click();
    await screenshot(page, '12-digits-en');
    await typeDigits(page, customer.userNumber, (n) => new RegExp(`^Digit ${n}$`));
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(page.title()).resolves.toBe('API Connection Authentication (Additional Authentication) (Registration)');
    await screenshot(page, '13-additional-en');
    await page.getByLabel('Answer').fill(customer.answer);
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(page.title()).resolves.toBe('API Connection Authentication (Authorization)');
    await page.getByText('Request transfers').first().waitFor();
    await screenshot(page, '14-consent-en');
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL((url) => url.href.startsWith(REDIRECT_URI));

    expect(landed?.searchParams.get('state')).toBe(state);
    expect(landed?.searchParams.get('iss')).toBe(server.issuer);
    expect(landed?.searchParams.get('code')).toBeTruthy();
    await context.close();
  });

  it('asks the additional question on a new browser and not on a remembered one; 連携解除 ends the access', async () => {
    const client = await registerClient(server);
    const customer = await createCustomer(server);
    // a Japanese browser: without ui_locales the screens speak the browser's language (Accept-Language)
    const context = await browser.newContext({ locale: 'ja-JP' });
    await authorize(context, client.clientId, customer, { expectAdditional: true });
    await authorize(context, client.clientId, customer, { expectAdditional: false });

    const other = await browser.newContext({ locale: 'ja-JP' });
    await authorize(other, client.clientId, customer, { expectAdditional: true });
    await other.close();

    const page = await context.newPage();
    await page.goto(`${server.issuer}/account/connections`);
    await expect(page.title()).resolves.toBe('連携サービス管理');
    await screenshot(page, '21-connections-login');
    await page.getByLabel('ログインID').fill(customer.loginId);
    await page.getByLabel('ログインパスワード').fill(customer.password);
    await page.getByRole('button', { name: 'ログイン' }).click();
    await typeDigits(page, customer.userNumber, (n) => new RegExp(`^${n}桁目$`));
    await page.getByRole('button', { name: '次へ' }).click();
    await expect(page.locator('.partner-name').allTextContents()).resolves.toEqual(['テスト家計簿アプリ']);
    await screenshot(page, '22-connections-list');
    await page.getByRole('button', { name: '連携解除' }).click();
    await expect(page.title()).resolves.toBe('連携解除の確認');
    await page.getByRole('button', { name: '連携解除' }).click();
    await page.getByText('テスト家計簿アプリとの連携を解除しました。').first().waitFor();
    await page.getByText('現在、API連携しているサービスはありません。').first().waitFor();
    await screenshot(page, '23-connections-revoked');
    expect(await server.app.grants.listForCustomer(customer.sub)).toEqual([]);
    await context.close();
  });
});

async function authorize(context: BrowserContext, clientId: string, customer: TestCustomer, { expectAdditional }: { expectAdditional: boolean }): Promise<void> {
  const page = await context.newPage();
  await page.route((url) => url.href.startsWith(REDIRECT_URI), (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<title>partner</title>' }));
  const { challenge } = pkcePair();
  const params = new URLSearchParams({ client_id: clientId, response_type: 'code', redirect_uri: REDIRECT_URI, scope: 'openid accounts', state: 's', code_challenge: challenge, code_challenge_method: 'S256' });
  await page.goto(`${server.issuer}/auth?${params}`);
  await page.getByLabel('ログインID').fill(customer.loginId);
  await page.getByLabel('ログインパスワード').fill(customer.password);
  await page.getByRole('button', { name: 'API連携' }).click();
  await typeDigits(page, customer.userNumber, (n) => new RegExp(`^${n}桁目$`));
  await page.getByRole('button', { name: '次へ' }).click();
  await page.waitForLoadState();
  const title = await page.title();
  if (expectAdditional) {
    expect(title).toBe('API連携認証（追加認証）（利用登録）');
    await page.getByLabel('回答').fill(customer.answer);
    await page.getByRole('button', { name: '次へ' }).click();
  } else {
    expect(title).not.toBe('API連携認証（追加認証）（利用登録）');
  }
  if ((await page.title()) === 'API連携認証（情報連携認可）') await page.getByRole('button', { name: '許可する' }).click();
  await page.waitForURL((url) => url.href.startsWith(REDIRECT_URI));
  await page.close();
}
