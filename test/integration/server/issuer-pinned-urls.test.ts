import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { callbackParams, startAuthorization } from '../../support/browserless.js';
import { walkScreens } from '../../support/journey.js';
import { basicAuth, createCustomer, REDIRECT_URI, registerClient, type TestClient } from '../../support/oauth-fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { ForgingBrowser, rawRequest } from './raw-http.js';

const DISCOVERY = ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server'];
const ENDPOINTS = [
  'authorization_endpoint', 'token_endpoint', 'pushed_authorization_request_endpoint', 'userinfo_endpoint',
  'introspection_endpoint', 'revocation_endpoint', 'jwks_uri', 'end_session_endpoint',
];

function expectAllFromIssuer(metadata: Record<string, unknown>, issuer: string): void {
  expect(metadata.issuer).toBe(issuer);
  for (const name of ENDPOINTS) expect(`${name}: ${String(metadata[name])}`).toMatch(new RegExp(`^${name}: ${issuer}/`));
}

async function discoveryWith(server: TestServer, path: string, headers: Record<string, string>, target = path) {
  const response = await rawRequest(server.publicUrl, { target, headers });
  expect(response.status).toBe(200);
  return JSON.parse(response.body) as Record<string, unknown>;
}

/** The authorization request lands on /interaction: a path on the issuer, never on the forged host. */
function expectInteractionRedirect(location: string | null, issuer: string): void {
  expect(location).toBeTruthy();
  const resolved = new URL(location!, issuer);
  expect(resolved.origin).toBe(new URL(issuer).origin);
  expect(resolved.pathname).toMatch(/^\/interaction\//);
}

describe('a request target in absolute form with a scheme of its own, first thing after start', () => {
  let fresh: TestServer;
  beforeAll(async () => {
    fresh = await startTestServer();
  });
  afterAll(() => fresh.close());

  it('gets discovery built from the issuer, and leaves none other behind for the next request', async () => {
    // glued to the issuer's origin, `munity://…` would have made its host `…community` (or, with a port, no URL at all)
    for (const target of [`munity://evil.example${DISCOVERY[0]}`, `webcal://evil.example${DISCOVERY[1]}`]) {
      expectAllFromIssuer(await discoveryWith(fresh, target, {}, target), fresh.issuer);
    }
    for (const path of DISCOVERY) expectAllFromIssuer(await discoveryWith(fresh, path, {}), fresh.issuer);
  });
});

describe('URLs come from RENKEI_ISSUER alone (SPEC §2)', () => {
  describe('without a trusted proxy', () => {
    let server: TestServer;
    let client: TestClient;
    beforeAll(async () => {
      server = await startTestServer();
      client = await registerClient(server);
    });
    afterAll(() => server.close());

    it('ignores a forged Host, X-Forwarded-Host and X-Forwarded-Proto in discovery', async () => {
      for (const path of DISCOVERY) {
        const metadata = await discoveryWith(server, path, { host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' });
        expectAllFromIssuer(metadata, server.issuer);
      }
    });

    it('ignores the authority of an absolute-form request target', async () => {
      const metadata = await discoveryWith(server, DISCOVERY[0]!, { host: 'evil.example' }, `http://evil.example${DISCOVERY[0]}`);
      expectAllFromIssuer(metadata, server.issuer);
    });

    it('keeps every redirect of a whole journey on the issuer under a forged Host, and the partner gets the issuer as iss', async () => {
      const customer = await createCustomer(server);
      const browser = new ForgingBrowser(server.issuer, { host: 'evil.example:8443' });
      const start = await startAuthorization(server.issuer, client, { browser });
      expect(start.landing.url).toMatch(new RegExp(`^${server.issuer}/interaction/`));
      const { end } = await walkScreens(browser, start.landing, customer);
      expect(end.response.status).toBe(303);
      const params = callbackParams(end.url);
      expect(params.get('iss')).toBe(server.issuer);
      expect(params.get('code')).toBeTruthy();
    });

    it('starts a pushed authorization request (PAR request_uri) on the issuer under a forged Host', async () => {
      const pushed = await rawRequest(server.publicUrl, {
        method: 'POST',
        target: '/request',
        headers: { host: 'evil.example', 'content-type': 'application/x-www-form-urlencoded', authorization: basicAuth(client) },
        body: new URLSearchParams({
          client_id: client.clientId, response_type: 'code', scope: 'openid', redirect_uri: REDIRECT_URI,
          code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256',
        }).toString(),
      });
      expect(pushed.status).toBe(201);
      const { request_uri: requestUri } = JSON.parse(pushed.body) as { request_uri: string };
      const browser = new ForgingBrowser(server.issuer, { host: 'evil.example' });
      const landing = await browser.follow(await browser.get(`/auth?${new URLSearchParams({ client_id: client.clientId, request_uri: requestUri })}`));
      expect(landing.response.status).toBe(200);
      expect(landing.url).toMatch(new RegExp(`^${server.issuer}/interaction/`));
    });

    it('posts the end-session confirmation to the issuer under a forged Host', async () => {
      const page = await rawRequest(server.publicUrl, { target: `/session/end?client_id=${client.clientId}`, headers: { host: 'evil.example' } });
      expect(page.status).toBe(200);
      expect(page.body).toContain(`${server.issuer}/session/end/confirm`);
      expect(page.body).not.toContain('evil.example');
    });
  });

  describe('behind a trusted proxy (RENKEI_TRUST_PROXY=1)', () => {
    let server: TestServer;
    let client: TestClient;
    const forged = { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https', 'x-forwarded-for': '10.9.8.7' };
    beforeAll(async () => {
      server = await startTestServer({ env: { RENKEI_TRUST_PROXY: '1' } });
      client = await registerClient(server);
    });
    afterAll(() => server.close());

    it('ignores X-Forwarded-Host and X-Forwarded-Proto in discovery', async () => {
      for (const path of DISCOVERY) expectAllFromIssuer(await discoveryWith(server, path, forged), server.issuer);
    });

    it('redirects the authorization request to /interaction on the issuer', async () => {
      const browser = new ForgingBrowser(server.issuer, forged);
      const start = await startAuthorization(server.issuer, client, { browser });
      expect(start.landing.response.status).toBe(200);
      expect(start.landing.url).toMatch(new RegExp(`^${server.issuer}/interaction/`));
    });

    it('sends the authorization response from a journey under forged headers to the partner, with the issuer as iss', async () => {
      const customer = await createCustomer(server);
      const browser = new ForgingBrowser(server.issuer, forged);
      const first = await browser.get(`/auth?${new URLSearchParams({ client_id: client.clientId, response_type: 'code', scope: 'openid', redirect_uri: 'https://partner.example/callback', code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' })}`);
      expectInteractionRedirect(first.headers.get('location'), server.issuer);
      const start = await startAuthorization(server.issuer, client, { browser });
      const { end } = await walkScreens(browser, start.landing, customer);
      expect(end.response.status).toBe(303);
      expect(callbackParams(end.url).get('iss')).toBe(server.issuer);
    });
  });

  describe('an https issuer behind a TLS terminator, proxy not trusted', () => {
    let server: TestServer;
    let client: TestClient;
    const issuer = 'https://auth.example-shinkumi.jp';
    beforeAll(async () => {
      server = await startTestServer({ env: { RENKEI_ISSUER: issuer } });
      client = await registerClient(server);
    });
    afterAll(() => server.close());

    it('advertises https URLs of the issuer although the request came over plain http', async () => {
      for (const path of DISCOVERY) expectAllFromIssuer(await discoveryWith(server, path, {}), issuer);
    });

    it('sets Secure cookies and HSTS on plain http', async () => {
      const params = new URLSearchParams({
        client_id: client.clientId, response_type: 'code', scope: 'openid', redirect_uri: 'https://partner.example/callback',
        code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256',
      });
      const response = await rawRequest(server.publicUrl, { target: `/auth?${params}`, headers: { 'x-forwarded-proto': 'http' } });
      expect([302, 303]).toContain(response.status);
      expectInteractionRedirect(String(response.headers.location), issuer);
      const cookies = ([] as string[]).concat(response.headers['set-cookie'] ?? []);
      expect(cookies.length).toBeGreaterThan(0);
      for (const cookie of cookies) expect(cookie).toMatch(/;\s*secure/i);
      expect(response.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    });
  });
});
