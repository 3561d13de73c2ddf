import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { decodeJwt } from 'jose';
import { csrfOf } from '../../support/browserless.js';
import { logIntoConnections as signIn } from '../../support/connections.js';
import { registerClient, type TestClient, type TestCustomer } from '../../support/oauth-fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { authorizeChoosing, customerWithAccounts, introspect, redeem, refresh, tick } from './rar-kit.js';
import { land } from '../journey/journey-kit.js';

const BANK_API = 'https://api.example-shinkumi.jp/';
let server: TestServer;
let client: TestClient;
beforeAll(async () => {
  server = await startTestServer();
  client = await registerClient(server);
});
afterAll(() => server.close());

const logIntoConnections = (customer: TestCustomer) => signIn(server.issuer, customer);

const detail = (accounts: string[]) => [{ type: 'account_information', actions: ['balances'], accounts }];

describe('連携サービス管理: the customer narrows the accounts a partner sees', () => {
  it('shows the accounts (masked) and the expiry; unticking one keeps the connection, later tokens and introspection of earlier ones lose the account', async () => {
    const customer = await customerWithAccounts(server, 3);
    const [a, b, c] = customer.accountIds as [string, string, string];
    const opaque = await authorizeChoosing(server, client, customer, [a, b], {}, 'openid offline_access accounts');
    const tokens = (await redeem(server, client, opaque.code!, opaque.verifier)).json as { access_token: string; refresh_token: string };
    expect((await introspect(server, client, tokens.access_token)).json.authorization_details).toEqual(detail([a, b]));

    const { browser, html } = await logIntoConnections(customer);
    expect(html).toContain('連携している口座');
    expect(html).toContain('普通 001支店 ***4500 口座1');
    expect(html).toContain('貯蓄 001支店 ***4501 口座2');
    expect(html).not.toContain('***4502');
    expect(html).toMatch(/連携の有効期限<\/dt><dd>\d{4}年\d{1,2}月\d{1,2}日<\/dd>/);

    const edit = await land(browser, await browser.post('/account/connections/accounts/edit', { csrf: csrfOf(html), client_id: client.clientId }));
    const editHtml = edit.html;
    expect(editHtml).toContain('<title>連携する口座の変更</title>');
    expect([...editHtml.matchAll(/type="checkbox"[^>]* checked/g)]).toHaveLength(2);

    const none = await land(browser, await browser.post('/account/connections/accounts', { csrf: csrfOf(editHtml), client_id: client.clientId }));
    expect(none.response.status).toBe(400);
    const noneHtml = none.html;
    expect(noneHtml).toContain('口座を1つ以上選択してください。');
    // the page shows what was sent, none ticked, beside the message that asks for one
    expect([...noneHtml.matchAll(/type="checkbox"[^>]* checked/g)]).toHaveLength(0);
    expect([...noneHtml.matchAll(/type="checkbox"/g)]).toHaveLength(2);

    const saved = await browser.post('/account/connections/accounts', { csrf: csrfOf(editHtml), client_id: client.clientId, ...tick(editHtml, [b]), account_9: c });
    expect(saved.status).toBe(303);
    const after = await (await browser.get('/account/connections')).text();
    expect(after).toContain('テスト家計簿アプリに提供する口座を変更しました。');
    expect(after).not.toContain('***4500');

    expect((await introspect(server, client, tokens.access_token)).json).toMatchObject({ active: true, authorization_details: detail([b]) });
    const refreshed = (await refresh(server, client, tokens.refresh_token)).json as { access_token: string; authorization_details: unknown };
    expect(refreshed.authorization_details).toEqual(detail([b]));
    expect(server.logs.events().find((e) => e.event === 'grant.accounts_narrowed' && e.sub === customer.sub)).toMatchObject({ accounts: 1, removed: 1 });
    expect(await server.app.grants.find(customer.sub, client.clientId)).toBeDefined();
  });

  it('says なし for a connection that shares no account (a customer with none registered), with no 口座の変更', async () => {
    const customer = await customerWithAccounts(server, 0);
    await authorizeChoosing(server, client, customer, []);
    const { html } = await logIntoConnections(customer);
    expect(html).toContain('<dt>連携している口座</dt><dd>なし</dd>');
    expect(html).not.toContain('口座の変更');
  });

  it('JWT access tokens issued after the change carry the new choice', async () => {
    const customer = await customerWithAccounts(server, 2);
    const [a, b] = customer.accountIds as [string, string];
    const jwt = await authorizeChoosing(server, client, customer, [a, b], { resource: BANK_API }, 'openid offline_access accounts');
    const tokens = (await redeem(server, client, jwt.code!, jwt.verifier)).json as { access_token: string; refresh_token: string };
    expect(decodeJwt(tokens.access_token).authorization_details).toEqual(detail([a, b]));
    const { browser, html } = await logIntoConnections(customer);
    const editHtml = (await land(browser, await browser.post('/account/connections/accounts/edit', { csrf: csrfOf(html), client_id: client.clientId }))).html;
    await browser.post('/account/connections/accounts', { csrf: csrfOf(editHtml), client_id: client.clientId, ...tick(editHtml, [a]) });
    const refreshed = (await refresh(server, client, tokens.refresh_token)).json as { access_token: string };
    expect(decodeJwt(refreshed.access_token).authorization_details).toEqual(detail([a]));
  });
});

describe('a refresh that asks for fewer scopes (RFC 6749 §6)', () => {
  it('gets tokens whose authorization_details keep only the actions those scopes stand for, and none when no such scope is left', async () => {
    const customer = await customerWithAccounts(server, 2);
    const accounts = customer.accountIds;
    const both = [{ type: 'account_information', actions: ['balances', 'transactions'], accounts }];
    const jwt = await authorizeChoosing(server, client, customer, accounts, { resource: BANK_API }, 'openid offline_access accounts transactions');
    const tokens = (await redeem(server, client, jwt.code!, jwt.verifier)).json as { access_token: string; refresh_token: string };
    expect(decodeJwt(tokens.access_token).authorization_details).toEqual(both);

    const balancesOnly = await refresh(server, client, tokens.refresh_token, { scope: 'openid accounts', resource: BANK_API });
    expect(balancesOnly.status).toBe(200);
    const narrowed = [{ ...both[0], actions: ['balances'] }];
    expect([balancesOnly.json.authorization_details, decodeJwt(String(balancesOnly.json.access_token)).authorization_details]).toEqual([narrowed, narrowed]);

    const noAccounts = await refresh(server, client, tokens.refresh_token, { scope: 'openid', resource: BANK_API });
    expect(noAccounts.status).toBe(200);
    expect([noAccounts.json.authorization_details, decodeJwt(String(noAccounts.json.access_token)).authorization_details]).toEqual([undefined, undefined]);

    // asking for every scope again (or none) gives what the grant holds
    const whole = await refresh(server, client, tokens.refresh_token, { resource: BANK_API });
    expect(decodeJwt(String(whole.json.access_token)).authorization_details).toEqual(both);
  });

  it('keeps an action that authorization_details asked for without its scope', async () => {
    const customer = await customerWithAccounts(server, 1);
    const asked = JSON.stringify([{ type: 'account_information', actions: ['balances'] }]);
    const rarOnly = await authorizeChoosing(server, client, customer, customer.accountIds, { authorization_details: asked }, 'openid offline_access');
    const tokens = (await redeem(server, client, rarOnly.code!, rarOnly.verifier)).json as { refresh_token: string; authorization_details: unknown };
    const granted = [{ type: 'account_information', actions: ['balances'], accounts: customer.accountIds }];
    expect(tokens.authorization_details).toEqual(granted);
    const refreshed = await refresh(server, client, tokens.refresh_token, { scope: 'openid' });
    expect([refreshed.status, refreshed.json.authorization_details]).toEqual([200, granted]);
  });
});
