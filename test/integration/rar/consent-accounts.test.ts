import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { decodeJwt } from 'jose';
import { startAuthorization } from '../../support/browserless.js';
import { digitsFor, submit } from '../../support/journey.js';
import { registerClient, type TestClient } from '../../support/oauth-fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { AccountService } from './account-service.js';
import { authorizeChoosing, customerWithAccounts, introspect, redeem, refresh, throughLogin, tick } from './rar-kit.js';

const BANK_API = 'https://api.example-shinkumi.jp/';
const accountDetail = (actions: string[], accounts: string[], locations?: string[]) => ({
  type: 'account_information', actions, ...(locations ? { locations } : {}), accounts,
});

let server: TestServer;
let client: TestClient;
beforeAll(async () => {
  server = await startTestServer();
  client = await registerClient(server);
});
afterAll(() => server.close());

describe('consent: the customer picks the accounts a partner sees', () => {
  it('lists every account with a checkbox (numbers masked but for the last four digits), asks for at least one, and the expiry date', async () => {
    const customer = await customerWithAccounts(server, 3);
    const start = await startAuthorization(server.issuer, client, { scope: 'openid accounts', extra: { prompt: 'consent' } });
    const consent = await throughLogin(start.browser, start.landing, customer);
    expect(consent.html).toContain('<legend>連携する口座</legend>');
    expect([...consent.html.matchAll(/<label for="account_\d">([^<]+)<\/label>/g)].map((m) => m[1])).toEqual([
      '普通 001支店 ***4500 口座1', '貯蓄 001支店 ***4501 口座2', '普通 001支店 ***4502 口座3',
    ]);
    expect(consent.html).not.toContain('1234500');
    expect(consent.html).not.toMatch(/type="checkbox"[^>]* checked/);
    expect(consent.html).toMatch(/<p class="connection-expiry">連携の有効期限：\d{4}年\d{1,2}月\d{1,2}日<\/p>/);

    const none = await submit(start.browser, consent, 'consent', {});
    expect(none.response.status).toBe(400);
    // the message sits in the accounts' fieldset, where the focus (and a phone's scroll) goes, not at the top of the page
    expect(none.html).toContain('<legend>連携する口座</legend>\n<div id="step-error" class="step-error"><p class="error-message" role="alert">口座を1つ以上選択してください。</p></div>');
    expect(none.html.match(/id="step-error"/g)).toHaveLength(1);
    expect(none.html).toMatch(/id="account_0" name="account_0" value="[^"]+" aria-invalid="true" aria-describedby="step-error" autofocus>/);
    expect(await server.app.grants.find(customer.sub, client.clientId)).toBeUndefined();

    const end = await submit(start.browser, { ...none, url: consent.url }, 'consent', tick(none.html, customer.accountIds.slice(0, 2)));
    const code = new URL(end.url).searchParams.get('code')!;
    const tokens = await redeem(server, client, code, start.verifier);
    expect(tokens.status).toBe(200);
    expect(tokens.json.authorization_details).toEqual([accountDetail(['balances'], customer.accountIds.slice(0, 2))]);
    const introspection = await introspect(server, client, tokens.json.access_token as string);
    expect(introspection.json).toMatchObject({ active: true, authorization_details: [accountDetail(['balances'], customer.accountIds.slice(0, 2))] });
  });

  it('speaks English with ui_locales=en', async () => {
    const customer = await customerWithAccounts(server, 2);
    const start = await startAuthorization(server.issuer, client, { scope: 'openid accounts', extra: { prompt: 'consent', ui_locales: 'en' } });
    let page = { ...start.landing, html: await start.landing.response.text() };
    page = await submit(start.browser, page, 'login', { login_id: customer.loginId, password: customer.password });
    page = await submit(start.browser, page, 'digits', digitsFor(customer, page.html));
    if (page.html.includes('name="answer"')) page = await submit(start.browser, page, 'additional', { answer: customer.answer });
    expect(page.html).toContain('<legend>Accounts to share</legend>');
    expect(page.html).toContain('<label for="account_1">Savings branch 001 ***4501 口座2</label>');
    expect(page.html).toMatch(/<p class="connection-expiry">This connection expires on \d{1,2} [A-Z][a-z]+ \d{4}<\/p>/);
  });

  it('a single account comes pre-checked; accounts that are not the customer’s are ignored', async () => {
    const customer = await customerWithAccounts(server, 1);
    const other = await customerWithAccounts(server, 1);
    const { consent, code, verifier } = await authorizeChoosing(server, client, customer, [...customer.accountIds, ...other.accountIds]);
    expect(consent.html).toMatch(/type="checkbox" id="account_0" name="account_0" value="[^"]+" checked>/);
    const tokens = await redeem(server, client, code!, verifier);
    expect(tokens.json.authorization_details).toEqual([accountDetail(['balances'], customer.accountIds)]);
  });

  it('asked again (prompt=consent), the grant’s accounts come ticked; 許可する with none ticked shows them unticked beside the message', async () => {
    const customer = await customerWithAccounts(server, 2);
    await authorizeChoosing(server, client, customer, [customer.accountIds[0]!], { prompt: 'consent' });
    const start = await startAuthorization(server.issuer, client, { scope: 'openid accounts', extra: { prompt: 'consent' } });
    const consent = await throughLogin(start.browser, start.landing, customer);
    expect([...consent.html.matchAll(/type="checkbox"[^>]* checked/g)]).toHaveLength(1);
    const none = await submit(start.browser, consent, 'consent', {});
    expect(none.response.status).toBe(400);
    expect(none.html).toContain('口座を1つ以上選択してください。');
    expect([...none.html.matchAll(/type="checkbox"[^>]* checked/g)]).toHaveLength(0);
  });

  it('a customer with no account registered is told that no account information will be shared; 許可する grants none', async () => {
    const customer = await customerWithAccounts(server, 0);
    const { consent, code, verifier } = await authorizeChoosing(server, client, customer, [], {}, 'openid accounts');
    expect(consent.html).toContain('<p class="no-accounts">ご登録の口座がないため、口座の情報は提供されません。</p>');
    expect(consent.html).not.toContain('type="checkbox"');
    const tokens = await redeem(server, client, code!, verifier);
    expect(tokens.json.authorization_details).toEqual([accountDetail(['balances'], [])]);
  });

  it('scopes that do not ask for account information show no accounts and grant no authorization_details', async () => {
    const customer = await customerWithAccounts(server, 2);
    const { consent, code, verifier } = await authorizeChoosing(server, client, customer, [], {}, 'openid offline_access');
    expect(consent.html).not.toContain('連携する口座');
    const tokens = await redeem(server, client, code!, verifier);
    expect(tokens.json.authorization_details).toBeUndefined();
  });
});

describe('Rich Authorization Requests (RFC 9396): account_information', () => {
  it('is listed in discovery', async () => {
    const discovery = (await (await fetch(`${server.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(discovery.authorization_details_types_supported).toEqual(['account_information']);
  });

  it('at the authorization endpoint: the consent shows what the actions stand for; the token response and the JWT access token for the bank API carry the chosen accounts', async () => {
    const customer = await customerWithAccounts(server, 3);
    const details = JSON.stringify([{ type: 'account_information', actions: ['balances', 'transactions'], locations: [BANK_API] }]);
    const { consent, code, verifier } = await authorizeChoosing(server, client, customer, customer.accountIds.slice(1), { authorization_details: details }, 'openid');
    expect([...consent.html.matchAll(/<li>([^<]+)<\/li>/g)].map((m) => m[1])).toEqual(['口座情報（口座一覧・残高）の照会', '入出金明細の照会']);
    const tokens = await redeem(server, client, code!, verifier);
    const expected = [accountDetail(['balances', 'transactions'], customer.accountIds.slice(1), [BANK_API])];
    expect(tokens.json.authorization_details).toEqual(expected);
    const jwt = decodeJwt(tokens.json.access_token as string);
    expect(jwt).toMatchObject({ aud: BANK_API, authorization_details: expected });
  });

  it('scope-based partners get the granted authorization_details too, in the JWT for the bank API', async () => {
    const customer = await customerWithAccounts(server, 2);
    const { code, verifier } = await authorizeChoosing(server, client, customer, [customer.accountIds[1]!], { resource: BANK_API }, 'openid accounts transactions');
    const tokens = await redeem(server, client, code!, verifier);
    expect(decodeJwt(tokens.json.access_token as string).authorization_details).toEqual([accountDetail(['balances', 'transactions'], [customer.accountIds[1]!])]);
  });

  it('a later request that asks for less gets a token with only what it asked, on the chosen accounts (RFC 9396 §7); earlier tokens keep theirs', async () => {
    const customer = await customerWithAccounts(server, 2);
    const first = await authorizeChoosing(server, client, customer, [customer.accountIds[0]!], { resource: BANK_API }, 'openid offline_access accounts transactions');
    const firstTokens = (await redeem(server, client, first.code!, first.verifier)).json as { refresh_token: string; authorization_details: unknown };
    expect(firstTokens.authorization_details).toEqual([accountDetail(['balances', 'transactions'], [customer.accountIds[0]!])]);

    // the grant covers the request: no consent screen; the code is for accounts only
    const start = await startAuthorization(server.issuer, client, { scope: 'openid accounts', extra: { resource: BANK_API } });
    const end = await throughLogin(start.browser, start.landing, customer);
    const code = new URL(end.url).searchParams.get('code');
    const narrow = await redeem(server, client, code!, start.verifier);
    expect([narrow.json.scope, narrow.json.authorization_details]).toEqual(['accounts', [accountDetail(['balances'], [customer.accountIds[0]!])]]);
    expect(decodeJwt(narrow.json.access_token as string).authorization_details).toEqual([accountDetail(['balances'], [customer.accountIds[0]!])]);

    // asked again through authorization_details, with consent: balances only, though the grant holds both
    const details = JSON.stringify([{ type: 'account_information', actions: ['balances'] }]);
    const rar = await authorizeChoosing(server, client, customer, [customer.accountIds[0]!], { authorization_details: details }, 'openid');
    expect((await redeem(server, client, rar.code!, rar.verifier)).json.authorization_details).toEqual([accountDetail(['balances'], [customer.accountIds[0]!])]);

    const refreshed = await refresh(server, client, firstTokens.refresh_token);
    expect(refreshed.json.authorization_details).toEqual([accountDetail(['balances', 'transactions'], [customer.accountIds[0]!])]);
  });

  it.each([
    ['an unknown type', [{ type: 'payment_initiation', actions: ['balances'] }]],
    ['an unknown action', [{ type: 'account_information', actions: ['balances', 'transfers'] }]],
    ['no actions', [{ type: 'account_information' }]],
    ['an unknown field', [{ type: 'account_information', actions: ['balances'], accounts: ['a-1'] }]],
    ['an unknown location', [{ type: 'account_information', actions: ['balances'], locations: ['https://evil.example/'] }]],
    ['not an array', { type: 'account_information', actions: ['balances'] }],
  ])('refuses %s with invalid_authorization_details', async (_what, details) => {
    const start = await startAuthorization(server.issuer, client, { scope: 'openid', extra: { authorization_details: JSON.stringify(details) } });
    const location = new URL(start.landing.url);
    expect(location.searchParams.get('error')).toBe('invalid_authorization_details');
    expect(location.searchParams.get('state')).toBe(start.state);
  });
});

describe('accounts.source http at consent', () => {
  const service = new AccountService();
  let httpServer: TestServer;
  let partner: TestClient;
  beforeAll(async () => {
    const url = await service.start();
    httpServer = await startTestServer({ config: { accounts: { source: 'http', http: { url, timeoutMs: 300, breakerFailures: 2, breakerCooldownSeconds: 60 } } } });
    partner = await registerClient(httpServer);
  });
  afterAll(async () => {
    await httpServer.close();
    await service.stop();
  });

  it('lists the accounts the service gives; when the service is down the customer sees the 503 page with 連携先に戻る and nothing is granted', async () => {
    const customer = await customerWithAccounts(httpServer, 0);
    service.accounts.set(customer.sub, [{ account_id: 'svc-1', type: '当座', branch: '010', number: '98765432', nickname: '事業用' }]);
    service.mode = 'ok';
    const ok = await authorizeChoosing(httpServer, partner, customer, ['svc-1']);
    expect(ok.consent.html).toContain('当座 010支店 ****5432 事業用');
    expect((await redeem(httpServer, partner, ok.code!, ok.verifier)).json.authorization_details).toEqual([accountDetail(['balances'], ['svc-1'])]);

    const other = await customerWithAccounts(httpServer, 0);
    service.mode = 'hang';
    const start = await startAuthorization(httpServer.issuer, partner, { scope: 'openid accounts', extra: { prompt: 'consent' } });
    const page = await throughLogin(start.browser, start.landing, other);
    expect(page.response.status).toBe(503);
    expect(page.response.headers.get('retry-after')).toEqual(expect.stringMatching(/^\d+$/));
    expect(page.html).toContain('連携先に戻る');
    expect(page.html).toContain('0120-000-000');
    expect(await httpServer.app.grants.find(other.sub, partner.clientId)).toBeUndefined();
  });
});
