import { afterEach, describe, expect, it } from '@jest/globals';
import { registerClient } from '../../support/oauth-fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { rawRequest } from '../server/raw-http.js';

const ISSUER = 'https://auth.example-shinkumi.jp';
let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const proxyNotices = (running: TestServer) => running.logs.events().filter((line) => line.event === 'server.proxy_untrusted');

describe('production with an https issuer behind a TLS terminator', () => {
  it('says once at start, without RENKEI_TRUST_PROXY, that client IPs are the proxy\'s and URLs still come from the issuer', async () => {
    server = await startTestServer({ env: { NODE_ENV: 'production', RENKEI_ISSUER: ISSUER } });
    const notices = proxyNotices(server);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ level: 40 });
    expect(String(notices[0]!.msg)).toContain('RENKEI_TRUST_PROXY');
    expect(String(notices[0]!.msg)).toContain("client IP is the proxy's");
    expect(String(notices[0]!.msg)).toContain(ISSUER);
  });

  it('sends Secure cookies and HSTS to a request that reached it over plain http', async () => {
    server = await startTestServer({ env: { NODE_ENV: 'production', RENKEI_ISSUER: ISSUER } });
    const client = await registerClient(server);
    const params = new URLSearchParams({
      client_id: client.clientId, response_type: 'code', scope: 'openid', redirect_uri: 'https://partner.example/callback',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256',
    });
    const response = await rawRequest(server.publicUrl, { target: `/auth?${params}` });
    expect([302, 303]).toContain(response.status);
    const cookies = ([] as string[]).concat(response.headers['set-cookie'] ?? []);
    expect(cookies.length).toBeGreaterThan(0);
    for (const cookie of cookies) expect(cookie).toMatch(/;\s*secure/i);
    expect(response.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    const discovery = JSON.parse((await rawRequest(server.publicUrl, { target: '/.well-known/openid-configuration' })).body) as Record<string, string>;
    expect(discovery.authorization_endpoint).toBe(`${ISSUER}/auth`);
  });

  it("says once at start when the customer's screens would show the built-in example bank, and not once the credit union's own is given", async () => {
    const exampleNotices = (running: TestServer) => running.logs.events().filter((line) => line.event === 'server.example_config');
    server = await startTestServer({ env: { NODE_ENV: 'production', RENKEI_ISSUER: ISSUER } });
    expect(exampleNotices(server)).toEqual([expect.objectContaining({
      level: 40,
      msg: "the customer's screens show the built-in example's bank.nameJa \"れんけい信用組合\", bank.contact.phone 0120-000-000, links.apiTermsUrl https://www.example-shinkumi.jp/api/terms.html: give the credit union's own in RENKEI_CONFIG",
    })]);
    await server.close();
    server = await startTestServer({
      env: { NODE_ENV: 'production', RENKEI_ISSUER: ISSUER },
      config: { bank: { nameJa: 'さくら信用組合', nameEn: 'Sakura Credit Union', contact: { phone: '0120-111-222' } }, links: { apiTermsUrl: 'https://www.sakura-shinkumi.jp/api/terms.html' } },
    });
    expect(exampleNotices(server)).toEqual([]);
  });

  it('with RENKEI_TRUST_PROXY=1, says once that every peer is believed until server.trustedProxies names the proxy, and nothing once it does', async () => {
    const unrestricted = (running: TestServer) => running.logs.events().filter((line) => line.event === 'server.proxy_unrestricted');
    server = await startTestServer({ env: { NODE_ENV: 'production', RENKEI_ISSUER: ISSUER, RENKEI_TRUST_PROXY: '1' } });
    expect(proxyNotices(server)).toHaveLength(0);
    expect(unrestricted(server)).toEqual([expect.objectContaining({ level: 40, msg: expect.stringContaining('server.trustedProxies') })]);
    await server.close();
    server = await startTestServer({ env: { NODE_ENV: 'production', RENKEI_ISSUER: ISSUER, RENKEI_TRUST_PROXY: '1' }, config: { server: { trustedProxies: ['10.0.0.5'] } } });
    expect([proxyNotices(server), unrestricted(server)]).toEqual([[], []]);
  });

  it('takes the client IP the trusted proxy appended, not one the client wrote before it', async () => {
    server = await startTestServer({ env: { NODE_ENV: 'production', RENKEI_ISSUER: ISSUER, RENKEI_TRUST_PROXY: '1' } });
    const client = await registerClient(server);
    const headers = { 'x-forwarded-for': '203.0.113.7, 198.51.100.9', authorization: `Basic ${Buffer.from(`${client.clientId}:wrong`).toString('base64')}` };
    await (await fetch(`${server.publicUrl}/healthz`, { headers })).text();
    await (await fetch(`${server.publicUrl}/token`, { method: 'POST', headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=refresh_token&refresh_token=x' })).text();
    await new Promise((resolve) => setImmediate(resolve));
    const lines = server.logs.events();
    const ipsOf = (event: string) => lines.filter((line) => line.event === event).map((line) => line.ip);
    expect(ipsOf('http.request')).toEqual(['198.51.100.9', '198.51.100.9']);
    // oidc-provider's own context too (its error line for the failed client authentication)
    expect(lines.filter((line) => String(line.event).startsWith('oidc.') && line.ip !== undefined).map((line) => line.ip)).toContain('198.51.100.9');
    expect(JSON.stringify(lines)).not.toContain('203.0.113.7');
  });
});
