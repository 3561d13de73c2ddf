/**
 * RP-Initiated Logout 1.0 with the partner's registered post_logout_redirect_uris: the browser goes
 * back to the partner with its state; an unregistered URI is refused; the signed-out page offers
 * 連携先に戻る when it knows a partner that registered one.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { callbackParams, type Browserless } from '../../support/browserless.js';
import { completeJourney } from '../../support/journey.js';
import { basicAuth, createCustomer, postForm, REDIRECT_URI, type TestClient } from '../../support/oauth-fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

const AFTER_LOGOUT = 'https://partner.example/signed-out';

let server: TestServer;
let client: TestClient;
beforeAll(async () => {
  server = await startTestServer();
  const { record, clientSecret } = await server.app.clients.create({
    client_name: 'ログアウト家計簿',
    redirect_uris: [REDIRECT_URI],
    post_logout_redirect_uris: [AFTER_LOGOUT],
    scope: 'openid accounts',
  });
  client = { clientId: record.client_id, clientSecret };
});
afterAll(() => server.close());

/** A customer's journey to the end: the browser and the ID token the partner received. */
async function signedIn(): Promise<{ browser: Browserless; idToken: string }> {
  const journey = await completeJourney(server.issuer, client, await createCustomer(server));
  const code = callbackParams(journey.end.url).get('code')!;
  const tokens = await postForm(`${server.issuer}/token`, { grant_type: 'authorization_code', code, code_verifier: journey.verifier, redirect_uri: REDIRECT_URI }, { authorization: basicAuth(client) });
  expect(tokens.status).toBe(200);
  return { browser: journey.browser, idToken: String(tokens.json.id_token) };
}

/** The confirmation page's form (oidc-provider's, with its xsrf field), submitted with 「ログアウトする」 (or 「ログアウトしない」). */
async function confirmLogout(browser: Browserless, page: string, choice: 'yes' | 'no' = 'yes'): Promise<Response> {
  const action = /<form[^>]*id="op.logoutForm"[^>]*action="([^"]+)"/.exec(page)?.[1] ?? /<form[^>]*action="([^"]+)"[^>]*id="op.logoutForm"/.exec(page)![1]!;
  const fields = Object.fromEntries([...page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
  return browser.post(new URL(action, server.issuer).pathname, { ...fields, ...(choice === 'yes' ? { logout: 'yes' } : {}) });
}

describe('post_logout_redirect_uris', () => {
  it('are registered with the client and shown by the admin API', async () => {
    expect((await server.app.clients.get(client.clientId))!.post_logout_redirect_uris).toEqual([AFTER_LOGOUT]);
  });

  it('refuses a post-logout redirect URI that is not https, as redirect URIs', async () => {
    await expect(server.app.clients.create({ client_name: 'x', redirect_uris: [REDIRECT_URI], post_logout_redirect_uris: ['http://partner.example/out'] }))
      .rejects.toThrow('/post_logout_redirect_uris/0: http://partner.example/out must be an https URL (http only for loopback)');
  });

  it('send the browser back to the registered URI with the partner’s state after logout', async () => {
    const { browser, idToken } = await signedIn();
    const query = new URLSearchParams({ id_token_hint: idToken, post_logout_redirect_uri: AFTER_LOGOUT, state: 'after-logout-1' });
    const asked = await browser.get(`/session/end?${query}`);
    expect(asked.status).toBe(200);
    const page = await asked.text();
    expect(page).toContain('<p>ログアウトしますか？</p>');

    const done = await confirmLogout(browser, page);
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(`${AFTER_LOGOUT}?state=after-logout-1`);
  });

  it('after ログアウトしない says the partner\'s own logout went ahead, rather than that the customer signed out', async () => {
    const { browser, idToken } = await signedIn();
    const asked = await browser.get(`/session/end?${new URLSearchParams({ id_token_hint: idToken })}`);
    const declined = await confirmLogout(browser, await asked.text(), 'no');
    expect(declined.status).toBe(303);
    const page = await (await browser.get(new URL(declined.headers.get('location')!, server.issuer).pathname + new URL(declined.headers.get('location')!, server.issuer).search)).text();
    // the customer chose to stay: the page must not read as if they had logged out
    expect(page).toContain('<p>ログアウトしませんでした。ログアウト家計簿からのログアウトのみ受け付けました。</p>');
    expect(page).not.toContain('<p>ログアウトしました。</p>');
  });

  it('keeps the language ui_locales asked for from the question to the signed-out page', async () => {
    const { browser, idToken } = await signedIn();
    const asked = await browser.request(`/session/end?${new URLSearchParams({ id_token_hint: idToken, ui_locales: 'en' })}`, { headers: { 'accept-language': 'ja' } });
    const page = await asked.text();
    expect(page).toContain('<p>Do you want to log out?</p>');
    const done = await confirmLogout(browser, page);
    expect(done.status).toBe(303);
    const location = new URL(done.headers.get('location')!, server.issuer);
    const signedOut = await (await browser.request(`${location.pathname}${location.search}`, { headers: { 'accept-language': 'ja' } })).text();
    expect(signedOut).toContain('<html lang="en"');
    expect(signedOut).toContain('<p>You have logged out.</p>');
  });

  it('refuses a post_logout_redirect_uri the partner did not register, with the error page', async () => {
    const { browser, idToken } = await signedIn();
    const query = new URLSearchParams({ id_token_hint: idToken, post_logout_redirect_uri: 'https://evil.example/out' });
    const refused = await browser.request(`/session/end?${query}`, { headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(refused.status).toBe(400);
    const html = await refused.text();
    expect(html).toContain('<code>invalid_request</code>');
    expect(html).not.toContain('evil.example');
  });

  it('the signed-out page offers 連携先に戻る to a partner it knows that registered a URI, and 連携サービス管理 for others', async () => {
    const known = await (await fetch(`${server.issuer}/session/end/success?client_id=${client.clientId}`)).text();
    expect(known).toContain('<p>ログアウトしませんでした。ログアウト家計簿からのログアウトのみ受け付けました。</p>');
    expect(known).toContain(`<form class="return-to-partner" method="get" action="${AFTER_LOGOUT}"><div class="actions"><button type="submit" class="primary">連携先に戻る</button>`);

    const english = await (await fetch(`${server.issuer}/session/end/success?client_id=${client.clientId}`, { headers: { 'accept-language': 'en' } })).text();
    expect(english).toContain('>Return to ログアウト家計簿</button>');

    const { record } = await server.app.clients.create({ client_name: 'No logout URI', redirect_uris: [REDIRECT_URI] });
    const unknown = await (await fetch(`${server.issuer}/session/end/success?client_id=${record.client_id}`)).text();
    expect(unknown).toContain('<p>ログアウトしませんでした。No logout URIからのログアウトのみ受け付けました。</p>');
    expect(unknown).not.toContain('return-to-partner');
    expect(unknown).toContain('<button type="submit" class="primary">連携サービス管理へ</button>');
  });
});
