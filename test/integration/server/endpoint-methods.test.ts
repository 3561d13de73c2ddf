import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { basicAuth, registerClient, type TestClient } from '../../support/oauth-fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { rawRequest } from './raw-http.js';

let server: TestServer;
let client: TestClient;
let metadata: Record<string, string>;
beforeAll(async () => {
  server = await startTestServer();
  client = await registerClient(server);
  metadata = (await (await fetch(`${server.issuer}/.well-known/openid-configuration`)).json()) as Record<string, string>;
});
afterAll(() => server.close());

const allowOf = (response: Response) => (response.headers.get('allow') ?? '').split(/,\s*/).sort();

describe('wrong methods (RFC 9110 §15.5.6: 405 with Allow)', () => {
  const cases: [string, string, string[]][] = [
    ['pushed_authorization_request_endpoint', 'GET', ['POST']],
    ['introspection_endpoint', 'GET', ['POST']],
    ['revocation_endpoint', 'GET', ['POST']],
    ['token_endpoint', 'GET', ['POST']],
    ['token_endpoint', 'PUT', ['POST']],
    ['userinfo_endpoint', 'DELETE', ['GET', 'HEAD', 'POST']],
    ['jwks_uri', 'POST', ['GET', 'HEAD']],
    ['authorization_endpoint', 'PUT', ['GET', 'HEAD', 'POST']],
    ['end_session_endpoint', 'DELETE', ['GET', 'HEAD', 'POST']],
  ];
  it.each(cases)('%s answers %s with 405, Allow and an invalid_request JSON body', async (endpoint, method, allowed) => {
    const response = await fetch(metadata[endpoint]!, { method });
    expect(response.status).toBe(405);
    expect(allowOf(response)).toEqual(allowed.sort());
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('answers the discovery documents with 405 for POST', async () => {
    for (const path of ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server']) {
      const response = await fetch(`${server.issuer}${path}`, { method: 'POST' });
      expect(response.status).toBe(405);
      expect(allowOf(response)).toEqual(['GET', 'HEAD']);
      expect(await response.json()).toMatchObject({ error: 'invalid_request' });
    }
  });

  it('matches endpoints as oidc-provider routes them (case and a trailing slash)', async () => {
    const response = await fetch(`${server.issuer}/TOKEN/`, { method: 'GET' });
    expect(response.status).toBe(405);
    expect(allowOf(response)).toEqual(['POST']);
  });

  it('answers OPTIONS with 204 and Allow, at oidc-provider\'s endpoints and at our own paths', async () => {
    const response = await fetch(metadata.token_endpoint!, { method: 'OPTIONS' });
    expect(response.status).toBe(204);
    expect(allowOf(response)).toEqual(['POST']);
    for (const [path, allowed] of [['/readyz', ['GET', 'HEAD']], ['/healthz', ['GET', 'HEAD']], ['/account/connections', ['GET', 'HEAD']], ['/interaction/some-uid/login', ['POST']], ['/account/connections/login', ['POST']]] as const) {
      const own = await fetch(`${server.issuer}${path}`, { method: 'OPTIONS' });
      expect([path, own.status, allowOf(own)]).toEqual([path, 204, [...allowed].sort()]);
    }
  });

  it('names only POST in Allow at a step\'s form, whatever the refused method', async () => {
    for (const path of ['/interaction/some-uid/login', '/interaction/some-uid/consent', '/account/connections/revoke']) {
      for (const method of ['GET', 'HEAD', 'PUT', 'DELETE']) {
        const response = await fetch(`${server.issuer}${path}`, { method, headers: { accept: 'text/html' } });
        expect([path, method, response.status, allowOf(response)]).toEqual([path, method, 405, ['POST']]);
      }
    }
  });

  it('answers our health endpoints with 405 and JSON', async () => {
    const response = await fetch(`${server.issuer}/readyz`, { method: 'POST' });
    expect(response.status).toBe(405);
    expect(allowOf(response)).toEqual(['GET', 'HEAD']);
    expect(await response.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('answers a wrong method on a customer screen with 405, Allow and the error page', async () => {
    const response = await fetch(`${server.issuer}/interaction/some-uid/login`, { method: 'GET', headers: { accept: 'text/html' } });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toContain('POST');
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await response.text()).toContain('<html lang="ja">');
  });

  it('answers a method no router knows (TRACE, PROPFIND) with 405 and Allow on our paths, 404 elsewhere', async () => {
    for (const method of ['TRACE', 'PROPFIND']) {
      // the health endpoints answer JSON whatever Accept says
      for (const accept of ['application/json', 'text/html']) {
        const health = await rawRequest(server.publicUrl, { method, target: '/healthz', headers: { accept } });
        expect([health.status, String(health.headers.allow).split(/,\s*/).sort()]).toEqual([405, ['GET', 'HEAD']]);
        expect(JSON.parse(health.body)).toMatchObject({ error: 'invalid_request' });
      }
      const nowhere = await rawRequest(server.publicUrl, { method, target: '/no-such-page' });
      expect([nowhere.status, nowhere.headers.allow]).toEqual([404, undefined]);
      expect(nowhere.body).toContain('ページが見つかりません');
    }
  });

  it('answers a wrong method at the grant management endpoint and SSF metadata as JSON, whatever Accept says', async () => {
    for (const [method, target, allow] of [['PUT', '/grant-management/some-grant', ['DELETE', 'GET', 'HEAD']], ['POST', '/.well-known/ssf-configuration', ['GET', 'HEAD']]] as const) {
      for (const accept of [undefined, '*/*', 'text/html']) {
        const response = await rawRequest(server.publicUrl, { method, target, headers: accept ? { accept } : {} });
        expect([response.status, String(response.headers.allow).split(/,\s*/).sort()]).toEqual([405, allow]);
        expect(response.headers['content-type']).toMatch(/^application\/json/);
        expect(JSON.parse(response.body)).toMatchObject({ error: 'invalid_request' });
      }
    }
  });

  it('still serves unknown paths with 404', async () => {
    expect((await fetch(`${server.issuer}/token/nope`, { method: 'GET' })).status).toBe(404);
  });
});

describe('token revocation (RFC 7009 §2.2)', () => {
  it('answers an empty 200 without a text/plain Content-Type (oidc-client-ts revokeTokens accepts it)', async () => {
    const response = await fetch(metadata.revocation_endpoint!, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basicAuth(client) },
      body: new URLSearchParams({ token: 'not-a-token-we-issued', token_type_hint: 'refresh_token' }).toString(),
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
    const type = response.headers.get('content-type');
    if (type !== null) expect(type).toMatch(/^application\/json/);
  });
});
