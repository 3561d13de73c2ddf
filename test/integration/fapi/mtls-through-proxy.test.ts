import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { callbackParams } from '../../support/browserless.js';
import { completeJourney } from '../../support/journey.js';
import { createCustomer, postForm, REDIRECT_URI, type TestClient } from '../../support/oauth-fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

let behindProxy: TestServer;
let direct: TestServer;
/** trusts forwarded headers from 10.9.9.9 alone: the test's requests come from the loopback */
let elsewhereProxy: TestServer;
let certificate: string;
let otherCertificate: string;

function selfSignedCertificate(subject: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'renkei-cert-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-subj', subject], { stdio: 'ignore' });
  return readFileSync(join(dir, 'cert.pem'), 'utf8');
}

beforeAll(async () => {
  certificate = selfSignedCertificate('/C=JP/O=Partner KK/CN=partner-client');
  otherCertificate = selfSignedCertificate('/C=JP/O=Mallory KK/CN=partner-client');
  behindProxy = await startTestServer({ env: { RENKEI_TRUST_PROXY: '1' } });
  direct = await startTestServer();
  elsewhereProxy = await startTestServer({ env: { RENKEI_TRUST_PROXY: '1' }, config: { server: { trustedProxies: ['10.9.9.9', '192.0.2.0/24'] } } });
});
afterAll(async () => {
  await behindProxy?.close();
  await direct?.close();
  await elsewhereProxy?.close();
});

const proxyHeaders = (pem: string, verdict = 'SUCCESS') => ({ 'x-ssl-client-cert': encodeURIComponent(pem), 'x-ssl-client-verify': verdict });

describe('mutual TLS behind a TLS terminator (RFC 8705)', () => {
  it('authenticates tls_client_auth clients by the forwarded certificate and binds their tokens to it', async () => {
    const { record } = await behindProxy.app.clients.create({
      client_name: 'mTLS partner', redirect_uris: [REDIRECT_URI], scope: 'openid accounts',
      token_endpoint_auth_method: 'tls_client_auth', tls_client_auth_subject_dn: 'CN=partner-client,O=Partner KK,C=JP',
      tls_client_certificate_bound_access_tokens: true,
    });
    const client: TestClient = { clientId: record.client_id, clientSecret: undefined };
    const customer = await createCustomer(behindProxy);
    const token = (server: TestServer, code: string, verifier: string, headers: Record<string, string>) =>
      postForm(`${server.issuer}/token`, { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT_URI, client_id: client.clientId }, headers);

    const refusedJourney = await completeJourney(behindProxy.issuer, client, customer);
    const refusedCode = callbackParams(refusedJourney.end.url).get('code')!;
    expect((await token(behindProxy, refusedCode, refusedJourney.verifier, proxyHeaders(certificate, 'FAILED:unable to verify'))).json.error).toBe('invalid_client');

    const journey = await completeJourney(behindProxy.issuer, client, customer);
    const code = callbackParams(journey.end.url).get('code')!;
    expect((await token(direct, code, journey.verifier, proxyHeaders(certificate))).json.error).toBe('invalid_client');
    expect((await token(behindProxy, code, journey.verifier, proxyHeaders(otherCertificate))).json.error).toBe('invalid_client');

    const issued = await token(behindProxy, code, journey.verifier, proxyHeaders(certificate));
    expect(issued.status).toBe(200);
    const accessToken = String(issued.json.access_token);

    const userinfo = (pem?: string) => fetch(`${behindProxy.issuer}/me`, { headers: { authorization: `Bearer ${accessToken}`, ...(pem ? proxyHeaders(pem) : {}) } });
    expect((await userinfo(certificate)).status).toBe(200);
    expect((await userinfo()).status).toBe(401);
    expect((await userinfo(otherCertificate)).status).toBe(401);

    const introspection = await postForm(`${behindProxy.issuer}/token/introspection`, { token: accessToken, client_id: client.clientId }, proxyHeaders(certificate));
    expect(introspection.json).toMatchObject({ active: true, client_id: client.clientId });
    expect((introspection.json.cnf as Record<string, string>)['x5t#S256']).toBeTruthy();
  });

  it('with server.trustedProxies, believes the certificate and client IP headers only from those addresses: from anywhere else a tls_client_auth client is refused and the socket address is the IP', async () => {
    const { record } = await elsewhereProxy.app.clients.create({
      client_name: 'mTLS partner', redirect_uris: [REDIRECT_URI], scope: 'openid accounts',
      token_endpoint_auth_method: 'tls_client_auth', tls_client_auth_subject_dn: 'CN=partner-client,O=Partner KK,C=JP',
    });
    const forged = await postForm(`${elsewhereProxy.issuer}/token/introspection`, { token: 'x', client_id: record.client_id }, { ...proxyHeaders(certificate), 'x-forwarded-for': '203.0.113.77' });
    expect([forged.status, forged.json.error]).toEqual([401, 'invalid_client']);
    const logged = elsewhereProxy.logs.events().filter((line) => line.event === 'http.request' && line.path === '/token/introspection').map((line) => line.ip);
    expect(logged.at(-1)).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
    // the server without the list (behindProxy) believes the same request: that is what the list is for
    const { record: trusting } = await behindProxy.app.clients.create({
      client_name: 'mTLS partner', redirect_uris: [REDIRECT_URI], scope: 'openid accounts',
      token_endpoint_auth_method: 'tls_client_auth', tls_client_auth_subject_dn: 'CN=partner-client,O=Partner KK,C=JP',
    });
    const believed = await postForm(`${behindProxy.issuer}/token/introspection`, { token: 'x', client_id: trusting.client_id }, proxyHeaders(certificate));
    expect([believed.status, believed.json]).toEqual([200, { active: false }]);
  });

  it('refuses an entry of server.trustedProxies that is not an address or a CIDR range, naming it', async () => {
    await expect(startTestServer({ env: { RENKEI_TRUST_PROXY: '1' }, config: { server: { trustedProxies: ['10.0.0.0/33', 'proxy.internal'] } } }))
      .rejects.toThrow(/server\.trustedProxies: "10\.0\.0\.0\/33" is not an IP address or CIDR range.*server\.trustedProxies: "proxy\.internal" is not an IP address or CIDR range/s);
  });

  it('refuses to register tls_client_auth without a subject, and fapi2 without a sender-constrained method', async () => {
    await expect(behindProxy.app.clients.create({ client_name: 'x', redirect_uris: [REDIRECT_URI], token_endpoint_auth_method: 'tls_client_auth' })).rejects.toMatchObject({ code: 'client.invalid' });
    await expect(behindProxy.app.clients.create({ client_name: 'x', redirect_uris: [REDIRECT_URI], profile: 'fapi2', token_endpoint_auth_method: 'client_secret_basic' })).rejects.toMatchObject({ code: 'client.invalid' });
    const { record } = await behindProxy.app.clients.create({
      client_name: 'fapi mtls', redirect_uris: [REDIRECT_URI], profile: 'fapi2', token_endpoint_auth_method: 'tls_client_auth', tls_client_auth_subject_dn: 'CN=partner-client,O=Partner KK,C=JP',
    });
    expect(record).toMatchObject({ require_pushed_authorization_requests: true, tls_client_certificate_bound_access_tokens: true });
    expect(record.dpop_bound_access_tokens).toBeUndefined();
  });
});
