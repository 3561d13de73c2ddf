import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Browserless, callbackParams } from '../../support/browserless.js';
import { completeJourney, walkScreens } from '../../support/journey.js';
import { basicAuth, createCustomer, pkcePair, postForm, REDIRECT_URI, registerClient, type TestClient } from '../../support/oauth-fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

let server: TestServer;
let client: TestClient;
beforeAll(async () => {
  server = await startTestServer();
  client = await registerClient(server);
});
afterAll(() => server.close());

function authorizationForm(overrides: Record<string, string> = {}) {
  const { verifier, challenge } = pkcePair();
  const state = `state-${Math.random().toString(36).slice(2)}`;
  const fields = {
    client_id: client.clientId, response_type: 'code', redirect_uri: REDIRECT_URI, scope: 'openid accounts', state,
    code_challenge: challenge, code_challenge_method: 'S256', ...overrides,
  };
  return { verifier, state, body: new URLSearchParams(fields).toString() };
}

const postTo = (browser: Browserless, path: string, body: string, type = 'application/x-www-form-urlencoded') =>
  browser.request(path, { method: 'POST', headers: { 'content-type': type }, body });

describe('the authorization endpoint takes POST (OpenID Connect Core §3.1.2.1)', () => {
  it('runs a whole flow begun with a POSTed form: login screen, the steps, a code that redeems', async () => {
    const customer = await createCustomer(server);
    const browser = new Browserless(server.issuer);
    const { verifier, state, body } = authorizationForm();
    const first = await postTo(browser, '/auth', body);
    expect([302, 303]).toContain(first.status);
    for (const cookie of first.headers.getSetCookie()) expect(cookie).toMatch(/samesite=lax/i);
    const landing = await browser.follow(first);
    expect(landing.response.status).toBe(200);

    const { end } = await walkScreens(browser, landing, customer);
    const params = callbackParams(end.url);
    expect(params.get('state')).toBe(state);
    const tokens = await postForm(
      `${server.issuer}/token`,
      { grant_type: 'authorization_code', code: params.get('code')!, code_verifier: verifier, redirect_uri: REDIRECT_URI },
      { authorization: basicAuth(client) },
    );
    expect(tokens.status).toBe(200);
    expect(tokens.json.id_token).toBeTruthy();
  });

  it('refuses a repeated parameter exactly as the same request by GET', async () => {
    const { body } = authorizationForm();
    const repeated = `${body}&scope=openid`;
    const byPost = await postTo(new Browserless(server.issuer), '/auth', repeated);
    const byGet = await new Browserless(server.issuer).get(`/auth?${repeated}`);
    expect(byPost.status).toBe(byGet.status);
    const refusal = callbackParams(byPost.headers.get('location')!);
    expect(refusal.get('error')).toBe('invalid_request');
    expect(refusal.get('error_description')).toBe(callbackParams(byGet.headers.get('location')!).get('error_description'));
    expect(refusal.get('error_description')).toContain("'scope' parameter must not be provided twice");
  });

  it('refuses parameters percent-encoded as bytes that are not UTF-8, by GET and by POST, with an error page (their state could not be returned as sent)', async () => {
    const { body } = authorizationForm();
    const broken = `${body.replace(/state=[^&]*/, 'state=%E0%A4%A')}`;
    for (const response of [await new Browserless(server.issuer).get(`/auth?${broken}`), await postTo(new Browserless(server.issuer), '/auth', broken)]) {
      expect([response.status, response.headers.get('location')]).toEqual([400, null]);
      const html = await response.text();
      expect(html).toContain('<code>invalid_request</code>');
      expect(html).not.toContain('%E0');
    }
    // UTF-8 escapes, and a % that starts no escape, are read as before
    for (const state of ['%E3%81%82', '50%off']) {
      const fine = await new Browserless(server.issuer).get(`/auth?${body.replace(/state=[^&]*/, `state=${state}`)}`);
      expect([fine.status, fine.headers.get('location')]).toEqual([303, expect.stringMatching(/\/interaction\//)]);
    }
  });

  it('refuses a body that is not an urlencoded form, and one over the size limit', async () => {
    const json = await postTo(new Browserless(server.issuer), '/auth', JSON.stringify({ client_id: client.clientId }), 'application/json');
    expect(json.status).toBe(400);
    expect(await json.text()).toContain('invalid_request');
    const { body } = authorizationForm({ padding: 'x'.repeat(60 * 1024) });
    const large = await postTo(new Browserless(server.issuer), '/auth', body);
    expect(large.status).toBe(413);
  });
});

describe('the end-session endpoint takes POST (RP-Initiated Logout 1.0 §2)', () => {
  it('answers a POSTed form as the same request by GET', async () => {
    const query = new URLSearchParams({ client_id: client.clientId, ui_locales: 'ja' }).toString();
    const byGet = await new Browserless(server.issuer).get(`/session/end?${query}`);
    const byPost = await postTo(new Browserless(server.issuer), '/session/end', query);
    expect(byGet.status).toBe(200);
    expect(byPost.status).toBe(byGet.status);
    expect(byPost.headers.get('content-type')).toBe(byGet.headers.get('content-type'));
  });
});

const langOf = (html: string) => /<html lang="([a-z]+)">/.exec(html)?.[1];
const headingOf = (html: string) => /<h1>([^<]*)<\/h1>/.exec(html)?.[1];

/** A browser with a session at the provider: the logout page asks before it ends it. */
async function signedIn(): Promise<Browserless> {
  return (await completeJourney(server.issuer, client, await createCustomer(server))).browser;
}

async function logoutPage(browser: Browserless, query: string, headers: Record<string, string> = {}) {
  const response = await browser.request(`/session/end${query}`, { headers });
  expect(response.status).toBe(200);
  const html = await response.text();
  return { lang: langOf(html), heading: headingOf(html), html };
}

describe('RP-initiated logout pages: the language as on every other page (ui_locales, else Accept-Language, else Japanese)', () => {
  it('asks in Japanese by default', async () => {
    const page = await logoutPage(await signedIn(), '');
    expect([page.lang, page.heading]).toEqual(['ja', 'ログアウト']);
    expect(page.html).toContain('<p>ログアウトしますか？</p>');
  });

  it("asks in the browser's language", async () => {
    const page = await logoutPage(await signedIn(), '', { 'accept-language': 'en-US,en;q=0.9' });
    expect([page.lang, page.heading]).toEqual(['en', 'Log out']);
    expect(page.html).toContain('<p>Do you want to log out?</p>');
  });

  it('lets ui_locales choose over the browser', async () => {
    const browser = await signedIn();
    expect((await logoutPage(browser, '?ui_locales=ja', { 'accept-language': 'en' })).lang).toBe('ja');
    expect((await logoutPage(browser, '?ui_locales=en', { 'accept-language': 'ja' })).lang).toBe('en');
  });

  it('ログアウトしない, with no partner named, says that nothing was done (in the language the question was asked in) and keeps the session', async () => {
    const browser = await signedIn();
    const page = await logoutPage(browser, '?ui_locales=en');
    // the button belongs to a GET form of ours, not to oidc-provider's logout form; the form carries
    // the question's language, so the address it leads to is /session/end/kept?ui_locales=en (not a bare "?")
    expect(page.html).toContain('<form id="stay" method="get" action="/session/end/kept"><input type="hidden" name="ui_locales" value="en"></form>');
    expect(page.html).toContain('<button class="secondary" type="submit" form="stay">Stay logged in</button>');
    const kept = await browser.request('/session/end/kept?ui_locales=en', { headers: { 'accept-language': 'ja' } });
    expect(kept.status).toBe(200);
    const html = await kept.text();
    expect([langOf(html), headingOf(html)]).toEqual(['en', 'Log out']);
    expect(html).toContain('<p>You have not logged out.</p>');
    // no dead end: the bank's own page for the customer's connections is one button away, in the same language
    expect(html).toContain('<form class="back" method="get" action="/account/connections"><input type="hidden" name="ui_locales" value="en"><div class="actions"><button type="submit" class="primary">Go to Connected services</button></div></form>');
    // the logout question can still be answered afterwards: the session was left as it was
    expect((await logoutPage(browser, '')).html).toContain('<p>ログアウトしますか？</p>');
  });

  it('ログアウトしない says so in the language its form carries, also where the browser kept no cookie', async () => {
    const kept = await fetch(`${server.issuer}/session/end/kept?ui_locales=en`, { headers: { 'accept-language': 'ja' } });
    expect(kept.status).toBe(200);
    const html = await kept.text();
    expect([langOf(html), headingOf(html)]).toEqual(['en', 'Log out']);
    expect(html).toContain('<p>You have not logged out.</p>');
  });

  it("says it is done in the browser's language", async () => {
    const response = await fetch(`${server.issuer}/session/end/success`, { headers: { 'accept-language': 'en' } });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect([langOf(html), headingOf(html)]).toEqual(['en', 'Log out']);
    expect(html).toContain('<p>You have logged out.</p>');
    // no partner to return to: the way on is the bank's own page, in the page's language
    expect(html).toContain('<form class="back" method="get" action="/account/connections"><input type="hidden" name="ui_locales" value="en"><div class="actions"><button type="submit" class="primary">Go to Connected services</button></div></form>');
  });

  it('ログアウトしない leads on to 連携サービス管理 in Japanese too', async () => {
    const html = await (await fetch(`${server.issuer}/session/end/kept`)).text();
    expect(html).toContain('<button type="submit" class="primary">連携サービス管理へ</button>');
  });
});
