import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestServer, type TestServer } from '../../support/test-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

describe('discovery (OpenID Connect Discovery 1.0, RFC 8414)', () => {
  it('publishes the protocol profile of SPEC §5', async () => {
    for (const path of ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server']) {
      const response = await fetch(`${server.issuer}${path}`);
      expect(response.status).toBe(200);
      const metadata = (await response.json()) as Record<string, unknown>;
      expect(metadata.issuer).toBe(server.issuer);
      for (const endpoint of [
        'authorization_endpoint', 'token_endpoint', 'pushed_authorization_request_endpoint', 'userinfo_endpoint',
        'introspection_endpoint', 'revocation_endpoint', 'jwks_uri', 'end_session_endpoint',
      ]) {
        expect(String(metadata[endpoint])).toMatch(new RegExp(`^${server.issuer}/`));
      }
      expect(metadata.code_challenge_methods_supported).toEqual(['S256']);
      expect(metadata.response_types_supported).toEqual(['code']);
      expect(metadata.grant_types_supported).toEqual(['authorization_code', 'refresh_token']);
      expect(metadata.authorization_response_iss_parameter_supported).toBe(true);
      expect(metadata.scopes_supported).toEqual(['openid', 'offline_access', 'accounts', 'transactions', 'transfers', 'grant_management_query', 'grant_management_revoke']);
      // RFC 8414 §2: introspection and revocation take the token endpoint's methods (left out: client_secret_basic
      // only), introspection without none (RFC 7662 §2.1)
      const tokenMethods = metadata.token_endpoint_auth_methods_supported as string[];
      expect(tokenMethods).toContain('none');
      expect(metadata.revocation_endpoint_auth_methods_supported).toEqual(tokenMethods);
      expect(metadata.introspection_endpoint_auth_methods_supported).toEqual(tokenMethods.filter((method) => method !== 'none'));
      for (const endpoint of ['introspection', 'revocation']) {
        expect(metadata[`${endpoint}_endpoint_auth_signing_alg_values_supported`]).toEqual(metadata.token_endpoint_auth_signing_alg_values_supported);
      }
    }
  });

  it('offers mutual TLS only where a TLS terminator forwards certificates (RENKEI_TRUST_PROXY=1)', async () => {
    const METHODS = ['token', 'introspection', 'revocation'].map((endpoint) => `${endpoint}_endpoint_auth_methods_supported`);
    const MTLS = ['tls_client_auth', 'self_signed_tls_client_auth'];
    // the path as oidc-provider routes it: case-insensitive, a trailing slash ignored
    for (const path of ['/.well-known/openid-configuration', '/.well-known/OpenID-Configuration/', '/.well-known/oauth-authorization-server']) {
      const direct = (await (await fetch(`${server.issuer}${path}`)).json()) as Record<string, unknown>;
      for (const field of METHODS) {
        expect(direct[field]).toEqual(expect.arrayContaining(['client_secret_basic', 'client_secret_post', 'private_key_jwt']));
        expect([path, (direct[field] as string[]).filter((method) => MTLS.includes(method))]).toEqual([path, []]);
      }
      expect(direct.tls_client_certificate_bound_access_tokens).toBeUndefined();
    }

    const behindProxy = await startTestServer({ env: { RENKEI_TRUST_PROXY: '1' } });
    try {
      const proxied = (await (await fetch(`${behindProxy.issuer}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
      for (const field of METHODS) expect(proxied[field]).toEqual(expect.arrayContaining(MTLS));
      expect(proxied.tls_client_certificate_bound_access_tokens).toBe(true);
    } finally {
      await behindProxy.close();
    }
  });

  it('publishes a JWKS with ES256, PS256 and RS256 keys, unique kids and no private members', async () => {
    const jwksUri = ((await (await fetch(`${server.issuer}/.well-known/openid-configuration`)).json()) as { jwks_uri: string }).jwks_uri;
    const { keys } = (await (await fetch(jwksUri)).json()) as { keys: Record<string, unknown>[] };
    expect(keys.map((k) => k.alg)).toEqual(expect.arrayContaining(['ES256', 'PS256', 'RS256']));
    expect(new Set(keys.map((k) => k.kid)).size).toBe(keys.length);
    for (const key of keys) for (const member of PRIVATE_JWK_MEMBERS) expect(key).not.toHaveProperty(member);
  });
});

describe('health', () => {
  it('answers /healthz and /readyz while Redis answers', async () => {
    expect((await fetch(`${server.issuer}/healthz`)).status).toBe(200);
    const ready = await fetch(`${server.issuer}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', store: 'redis' });
  });
});

describe('pages and errors', () => {
  it('shows a Japanese error page, with security headers and no internals, for a request that cannot be redirected', async () => {
    const response = await fetch(`${server.issuer}/auth?client_id=unknown-client&response_type=code&scope=openid&redirect_uri=https://evil.example/cb`);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const body = await response.text();
    expect(body).toContain('<html lang="ja">');
    expect(body).toContain('API連携を続けられません');
    expect(body).toContain('invalid_client');
    expect(body).not.toMatch(/at \S+ \(|node_modules|Error:/);
    expect(body).not.toMatch(/<script|https?:\/\/fonts/);

    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('strict-transport-security')).toBeNull();
  });

  it('shows the error page in English with ui_locales=en', async () => {
    const response = await fetch(`${server.issuer}/auth?client_id=unknown-client&response_type=code&scope=openid&ui_locales=en`);
    const body = await response.text();
    expect(body).toContain('<html lang="en">');
    expect(body).toContain('Cannot continue');
    expect(body).toContain('Renkei Credit Union');
  });

  it('answers unknown pages with a 404 page for browsers and JSON for API clients', async () => {
    const page = await fetch(`${server.issuer}/no-such-page`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(404);
    expect(await page.text()).toContain('ページが見つかりません');
    const api = await fetch(`${server.issuer}/no-such-page`, { headers: { accept: 'application/json' } });
    expect(api.status).toBe(404);
    expect(await api.json()).toEqual({ error: 'not_found' });
  });

  it('answers OAuth endpoint errors as JSON (RFC 6749 §5.2)', async () => {
    const response = await fetch(`${server.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=authorization_code&code=nope&client_id=unknown',
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: 'invalid_client' });
  });

  it('echoes x-fapi-interaction-id on API responses, and generates one when absent', async () => {
    const id = 'c770aef3-6784-41f7-8e0e-ff5f97bddb3a';
    const echoed = await fetch(`${server.issuer}/token`, { method: 'POST', headers: { 'x-fapi-interaction-id': id, 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=refresh_token' });
    expect(echoed.headers.get('x-fapi-interaction-id')).toBe(id);
    const generated = await fetch(`${server.issuer}/me`);
    expect(generated.headers.get('x-fapi-interaction-id')).toMatch(/^[0-9a-f-]{36}$/);
    // one UUID for both ids of a request that sent neither; a UUID of its own beside a caller's request id
    expect(generated.headers.get('x-request-id')).toBe(generated.headers.get('x-fapi-interaction-id'));
    const traced = await fetch(`${server.issuer}/me`, { headers: { 'x-request-id': 'lb.7f3a:42' } });
    expect(traced.headers.get('x-request-id')).toBe('lb.7f3a:42');
    expect(traced.headers.get('x-fapi-interaction-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves its stylesheet itself', async () => {
    const response = await fetch(`${server.issuer}/assets/renkei.css`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/css/);
    expect([response.headers.get('cache-control'), response.headers.get('pragma')]).toEqual(['public, max-age=3600', null]);
  });

  it('keeps the admin API off the public listener', async () => {
    const response = await fetch(`${server.issuer}/admin/v1/status`, { headers: { authorization: 'Bearer x' } });
    expect(response.status).toBe(404);
  });

  it('requires the admin bearer token on the admin listener', async () => {
    expect((await fetch(`${server.adminUrl}/admin/v1/status`)).status).toBe(401);
    const ok = await fetch(`${server.adminUrl}/admin/v1/status`, { headers: { authorization: `Bearer ${server.adminToken.token}` } });
    expect(ok.status).toBe(200);
  });
});

describe('HSTS', () => {
  it('is sent when the issuer is https (behind a TLS terminator)', async () => {
    const tls = await startTestServer({ env: { RENKEI_ISSUER: 'https://auth.example-shinkumi.jp', RENKEI_TRUST_PROXY: '1' } });
    try {
      const response = await fetch(`${tls.publicUrl}/healthz`);
      expect(response.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    } finally {
      await tls.close();
    }
  });
});
