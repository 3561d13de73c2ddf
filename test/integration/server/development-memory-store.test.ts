import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Browserless, callbackParams } from '../../support/browserless.js';
import { completeJourney } from '../../support/journey.js';
import { createCustomer, postForm, REDIRECT_URI, registerClient, basicAuth } from '../../support/oauth-fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ env: { RENKEI_REDIS_URL: '', RENKEI_DEMO: '1' } });
});
afterAll(() => server.close());

describe('development mode on the in-memory store (npm start)', () => {
  it('is ready without Redis and runs the whole journey, tokens and userinfo included', async () => {
    expect(await (await fetch(`${server.issuer}/readyz`)).json()).toEqual({ status: 'ready', store: 'memory' });
    const client = await registerClient(server);
    const customer = await createCustomer(server);
    const journey = await completeJourney(server.issuer, client, customer);
    const code = callbackParams(journey.end.url).get('code')!;
    const tokens = await postForm(`${server.issuer}/token`, { grant_type: 'authorization_code', code, code_verifier: journey.verifier, redirect_uri: REDIRECT_URI }, { authorization: basicAuth(client) });
    expect(tokens.status).toBe(200);
    const userinfo = await fetch(`${server.issuer}/me`, { headers: { authorization: `Bearer ${String(tokens.json.access_token)}` } });
    expect(await userinfo.json()).toEqual({ sub: customer.sub });
  });

  it('serves the demo partner page, which starts a PKCE authorization request for the demo client', async () => {
    const browser = new Browserless(server.issuer);
    const page = await browser.get('/demo');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('API連携を開始する');
    expect(html).toContain('renkei-demo-2026');
    const start = await browser.post('/demo/start', { scope_accounts: '1', ui_locales: 'ja' });
    expect(start.status).toBe(303);
    const location = new URL(start.headers.get('location')!);
    expect(location.pathname).toBe('/auth');
    expect(location.searchParams.get('client_id')).toBe('renkei-demo');
    expect(location.searchParams.get('code_challenge_method')).toBe('S256');
    expect(location.searchParams.get('scope')).toBe('openid accounts');
  });
});
