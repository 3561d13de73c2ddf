/**
 * A customer picks accounts in a real browser (axe-clean consent), the partner's token response,
 * introspection and JWT access token carry exactly those; a merge adds transactions to the same
 * grant_id; the customer narrows the choice on 連携サービス管理.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { decodeJwt } from 'jose';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { projectRoot } from '../../src/settings/project-root.js';
import { launchChromium, screenshot } from '../support/browser.js';
import { basicAuth, createCustomer, pkcePair, postForm, REDIRECT_URI, type TestClient, type TestCustomer } from '../support/oauth-fixtures.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const BANK_API = 'https://api.example-shinkumi.jp/';
const AXE_SOURCE = readFileSync(join(projectRoot(), 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function axeViolations(page: Page): Promise<string[]> {
  const session = await page.context().newCDPSession(page);
  await session.send('Runtime.evaluate', { expression: AXE_SOURCE });
  const { result } = await session.send('Runtime.evaluate', {
    expression: `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => v.id + ': ' + v.help))`,
    awaitPromise: true, returnByValue: true,
  });
  return result.value as string[];
}

async function typeDigits(page: Page, userNumber: string): Promise<void> {
  for (const label of await page.getByRole('group', { name: '利用者番号を入力' }).locator('label').allTextContents()) {
    const position = Number(/\d+/.exec(label)![0]);
    await page.getByLabel(label).fill(userNumber[position - 1]!);
  }
}

/** The screens up to consent, then the accounts ticked as given; the partner's callback URL. */
async function authorizeInBrowser(context: BrowserContext, client: TestClient, customer: TestCustomer, tickLabels: readonly RegExp[], extra: Record<string, string>, shot: string) {
  const page = await context.newPage();
  let landed: URL | undefined;
  await page.route((url) => url.href.startsWith(REDIRECT_URI), async (route) => {
    landed = new URL(route.request().url());
    await route.fulfill({ status: 200, contentType: 'text/html', body: '<title>partner</title>' });
  });
  const { verifier, challenge } = pkcePair();
  const params = new URLSearchParams({ client_id: client.clientId, response_type: 'code', redirect_uri: REDIRECT_URI, state: 's', code_challenge: challenge, code_challenge_method: 'S256', ...extra });
  await page.goto(`${server.issuer}/auth?${params}`);
  await page.getByLabel('ログインID').fill(customer.loginId);
  await page.getByLabel('ログインパスワード').fill(customer.password);
  await page.getByRole('button', { name: 'API連携' }).click();
  await typeDigits(page, customer.userNumber);
  await page.getByRole('button', { name: '次へ' }).click();
  if ((await page.title()) === 'API連携認証（追加認証）（利用登録）') {
    await page.getByLabel('回答').fill(customer.answer);
    await page.getByRole('button', { name: '次へ' }).click();
  }
  await expect(page.title()).resolves.toBe('API連携認証（情報連携認可）');
  const choice = page.getByRole('group', { name: '連携する口座' });
  for (const box of await choice.getByRole('checkbox').all()) await box.uncheck();
  for (const label of tickLabels) await choice.getByLabel(label).check();
  expect(await axeViolations(page)).toEqual([]);
  await screenshot(page, shot);
  await page.getByRole('button', { name: '許可する' }).click();
  await page.waitForURL((url) => url.href.startsWith(REDIRECT_URI));
  await page.close();
  return { code: landed!.searchParams.get('code')!, verifier };
}

describe('the customer chooses accounts in a real browser', () => {
  it('three accounts, two chosen: token, introspection and the JWT carry exactly those; merge adds transactions to the same grant_id; narrowed to one on 連携サービス管理', async () => {
    const { record, clientSecret } = await server.app.clients.create({
      client_name: '家計簿アプリ', redirect_uris: [REDIRECT_URI], grant_management: true,
      scope: 'openid offline_access accounts transactions grant_management_query',
    });
    const client = { clientId: record.client_id, clientSecret };
    const customer = await createCustomer(server);
    const ids: string[] = [];
    for (const [number, nickname] of [['1110001', '生活費'], ['2220002', '貯金'], ['3330003', '事業用']] as const) {
      ids.push((await server.app.directoryAccounts.add(customer.sub, { type: '普通', branch: '001', number, nickname })).account_id);
    }
    const context = await browser.newContext({ locale: 'ja-JP' });
    const token = (code: string, verifier: string) => postForm(`${server.issuer}/token`, { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT_URI }, { authorization: basicAuth(client) });

    const first = await authorizeInBrowser(context, client, customer, [/\*\*\*0001 生活費/, /\*\*\*0003 事業用/],
      { scope: 'openid offline_access accounts grant_management_query', prompt: 'consent', grant_management_action: 'create' }, '31-consent-accounts');
    const tokens = (await token(first.code, first.verifier)).json as { access_token: string; refresh_token: string; grant_id: string; authorization_details: unknown };
    const chosen = [{ type: 'account_information', actions: ['balances'], accounts: [ids[0], ids[2]] }];
    expect(tokens.authorization_details).toEqual(chosen);
    const introspection = await postForm(`${server.issuer}/token/introspection`, { token: tokens.access_token }, { authorization: basicAuth(client) });
    expect(introspection.json).toMatchObject({ active: true, authorization_details: chosen });

    const merged = await authorizeInBrowser(context, client, customer, [/\*\*\*0001 生活費/, /\*\*\*0003 事業用/],
      { scope: 'openid offline_access transactions', resource: BANK_API, prompt: 'consent', grant_id: tokens.grant_id, grant_management_action: 'merge' }, '32-consent-merge');
    const after = (await token(merged.code, merged.verifier)).json as { access_token: string; refresh_token: string; grant_id: string };
    expect(after.grant_id).toBe(tokens.grant_id);
    const both = [{ type: 'account_information', actions: ['balances', 'transactions'], accounts: [ids[0], ids[2]] }];
    expect(decodeJwt(after.access_token)).toMatchObject({ aud: BANK_API, authorization_details: both });

    // 連携サービス管理: the customer narrows the choice to one account; the connection stays
    const page = await context.newPage();
    await page.goto(`${server.issuer}/account/connections`);
    await page.getByLabel('ログインID').fill(customer.loginId);
    await page.getByLabel('ログインパスワード').fill(customer.password);
    await page.getByRole('button', { name: 'ログイン' }).click();
    await typeDigits(page, customer.userNumber);
    await page.getByRole('button', { name: '次へ' }).click();
    await expect(page.locator('.shared-accounts li').allTextContents()).resolves.toEqual(['普通 001支店 ***0001 生活費', '普通 001支店 ***0003 事業用']);
    await page.getByText(/^\d{4}年\d{1,2}月\d{1,2}日$/).first().waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, '33-connections-accounts');
    // the row's two buttons stand apart, not edge to edge
    const [edit, revoke] = await Promise.all(['口座の変更', '連携解除'].map(async (name) => (await page.getByRole('button', { name, exact: true }).boundingBox())!));
    expect(Math.max(revoke.x - (edit.x + edit.width), revoke.y - (edit.y + edit.height))).toBeGreaterThanOrEqual(8);
    await page.locator('.connection').filter({ hasText: '家計簿アプリ' }).getByRole('button', { name: '口座の変更', exact: true }).click();
    await expect(page.title()).resolves.toBe('連携する口座の変更');
    await page.getByLabel(/\*\*\*0001 生活費/).uncheck();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, '34-connections-narrow');
    await page.getByRole('button', { name: '変更する' }).click();
    await page.getByText('家計簿アプリに提供する口座を変更しました。').first().waitFor();
    await expect(page.locator('.shared-accounts li').allTextContents()).resolves.toEqual(['普通 001支店 ***0003 事業用']);
    const refreshed = await postForm(`${server.issuer}/token`, { grant_type: 'refresh_token', refresh_token: after.refresh_token }, { authorization: basicAuth(client) });
    expect(decodeJwt(refreshed.json.access_token as string).authorization_details).toEqual([{ ...both[0], accounts: [ids[2]] }]);
    expect((await server.app.grants.find(customer.sub, client.clientId))!.grantId).toBe(tokens.grant_id);
    await context.close();
  }, 90_000);
});
