import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Browserless, callbackParams, csrfOf } from '../../support/browserless.js';
import { logIntoConnections as signIn } from '../../support/connections.js';
import { completeJourney } from '../../support/journey.js';
import { basicAuth, createCustomer, postForm, REDIRECT_URI, registerClient, type TestCustomer } from '../../support/oauth-fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { land } from '../journey/journey-kit.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const logIntoConnections = (customer: TestCustomer) => signIn(server.issuer, customer);

describe('連携サービス管理 (/account/connections)', () => {
  it('lists the partner with permissions, since when and last use; 連携解除 ends its tokens at once', async () => {
    const client = await registerClient(server);
    const customer = await createCustomer(server);
    const journey = await completeJourney(server.issuer, client, customer, { scope: 'openid offline_access accounts transactions', extra: { prompt: 'consent' } });
    const code = callbackParams(journey.end.url).get('code')!;
    const tokens = await postForm(`${server.issuer}/token`, { grant_type: 'authorization_code', code, code_verifier: journey.verifier, redirect_uri: REDIRECT_URI }, { authorization: basicAuth(client) });
    expect(tokens.status).toBe(200);
    const bearer = { authorization: `Bearer ${String(tokens.json.access_token)}` };
    expect((await fetch(`${server.issuer}/me`, { headers: bearer })).status).toBe(200);

    const { browser, html } = await logIntoConnections(customer);
    expect(html).toContain('テスト家計簿アプリ');
    expect(html).toContain('口座情報（口座一覧・残高）の照会');
    expect(html).toContain('入出金明細の照会');
    expect(html).not.toContain('未利用');
    expect(html).toContain('>連携解除</button>');

    const revoked = await browser.post('/account/connections/revoke', { csrf: csrfOf(html), client_id: client.clientId });
    expect(revoked.status).toBe(303);
    const after = await (await browser.get('/account/connections')).text();
    expect(after).toContain('テスト家計簿アプリとの連携を解除しました。');
    expect(after).toContain('現在、API連携しているサービスはありません。');

    expect((await fetch(`${server.issuer}/me`, { headers: bearer })).status).toBe(401);
    const refresh = await postForm(`${server.issuer}/token`, { grant_type: 'refresh_token', refresh_token: String(tokens.json.refresh_token) }, { authorization: basicAuth(client) });
    expect([refresh.status, refresh.json.error]).toEqual([400, 'invalid_grant']);
    expect(server.logs.events().filter((e) => e.event === 'grant.revoked' && e.sub === customer.sub)).toHaveLength(1);

    // connected again at once (within the minute "last used" is written once in): used, not 未利用
    const again = await completeJourney(server.issuer, client, customer, { scope: 'openid offline_access accounts transactions', extra: { prompt: 'consent' } });
    const code2 = callbackParams(again.end.url).get('code')!;
    const tokens2 = await postForm(`${server.issuer}/token`, { grant_type: 'authorization_code', code: code2, code_verifier: again.verifier, redirect_uri: REDIRECT_URI }, { authorization: basicAuth(client) });
    expect(tokens2.status).toBe(200);
    const listed = await (await browser.get('/account/connections')).text();
    expect(listed).toContain('>連携解除</button>');
    expect(listed).not.toContain('未利用');
  });

  it('連携解除’s confirmation is shown by a GET the form redirects to: a reload or Back shows the list, and nothing is ended', async () => {
    const client = await registerClient(server);
    const customer = await createCustomer(server);
    await completeJourney(server.issuer, client, customer);
    const { browser, html } = await logIntoConnections(customer);
    const answered = await browser.post('/account/connections/revoke/confirm', { csrf: csrfOf(html), client_id: client.clientId });
    expect(answered.status).toBe(303);
    const location = answered.headers.get('location')!;
    expect(location).toMatch(/^\/account\/connections\?ui_locales=ja&shown=[A-Za-z0-9_-]{16}$/);
    const confirmation = await land(browser, answered);
    expect([confirmation.response.status, /<title>([^<]*)<\/title>/.exec(confirmation.html)?.[1]]).toEqual([200, '連携解除の確認']);
    const reloaded = await land(browser, await browser.get(location));
    expect([reloaded.response.status, /<title>([^<]*)<\/title>/.exec(reloaded.html)?.[1]]).toEqual([200, '連携サービス管理']);
    expect(reloaded.html).toContain('>連携解除</button>');
    expect(await server.app.grants.find(customer.sub, client.clientId)).toBeDefined();
  });

  it('answers a form whose session ran out with the login page saying so (400), ending nothing', async () => {
    const client = await registerClient(server);
    const customer = await createCustomer(server);
    await completeJourney(server.issuer, client, customer);
    const { browser, html } = await logIntoConnections(customer);
    const csrf = csrfOf(html);
    // the session's cookie outlived the session: the browser comes back without one that is live
    browser.cookies.clear();
    const stale = await land(browser, await browser.post('/account/connections/revoke', { csrf, client_id: client.clientId }));
    expect(stale.response.status).toBe(400);
    const page = stale.html;
    expect(page).toContain('<title>連携サービス管理</title>');
    // an error, not a message of success: the alert style, and no field marked as the one in error
    expect(page).toContain('<p class="error-message" role="alert">ログインの有効期限が切れたため、操作を完了できませんでした。もう一度ログインしてください。</p>');
    expect(page).not.toContain('class="flash"');
    expect(page).not.toContain('aria-invalid');
    expect(page).toContain('name="password"');
    expect(page).not.toContain('連携先');
    expect(await server.app.grants.find(customer.sub, client.clientId)).toBeDefined();
  });

  it('needs the digits as well as the password, and refuses a revoke without the session’s CSRF token', async () => {
    const customer = await createCustomer(server);
    const browser = new Browserless(server.issuer);
    const html = await (await browser.get('/account/connections')).text();
    await browser.post('/account/connections/login', { csrf: csrfOf(html), login_id: customer.loginId, password: customer.password });
    const skipped = await land(browser, await browser.post('/account/connections/revoke', { csrf: 'forged', client_id: 'anything' }));
    expect(skipped.response.status).toBe(400);
    const page = await (await browser.get('/account/connections')).text();
    expect(page).toContain('入力桁数の指定');
    expect(page).not.toContain('連携解除');
  });

  it('answers a 連携解除 form that cannot be read with the list, a message and 400, ending nothing', async () => {
    const client = await registerClient(server);
    const customer = await createCustomer(server);
    await completeJourney(server.issuer, client, customer);
    const { browser, html } = await logIntoConnections(customer);
    const csrf = csrfOf(html);
    const refused = await land(browser, await browser.request('/account/connections/revoke', {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `csrf=${csrf}&client_id=${client.clientId}&client_id=${client.clientId}`,
    }));
    expect(refused.response.status).toBe(400);
    const page = refused.html;
    expect(page).toContain('<title>連携サービス管理</title>');
    expect(page).toContain('<p class="error-message" role="alert">送信内容を確認できませんでした。お手数ですが、もう一度お試しください。</p>');
    expect(page).toContain('テスト家計簿アプリ');
    expect(await server.app.grants.listForCustomer(customer.sub)).toHaveLength(1);
  });
});
