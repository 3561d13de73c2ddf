import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { callbackParams, startAuthorization } from '../../support/browserless.js';
import { completeJourney, submit } from '../../support/journey.js';
import { basicAuth, createCustomer, postForm, REDIRECT_URI, registerClient } from '../../support/oauth-fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const metricValue = (text: string, line: RegExp) => Number(text.split('\n').find((l) => line.test(l))?.split(' ').pop() ?? NaN);

describe('admin listener', () => {
  it('answers 401 with the error contract for a missing or wrong token, compared in constant time', async () => {
    for (const authorization of [undefined, 'Bearer wrong', `Basic ${server.adminToken.token}`]) {
      const response = await fetch(`${server.adminUrl}/admin/v1/clients`, { headers: authorization ? { authorization } : {} });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: 'unauthorized', message: 'a valid admin bearer token is required', details: [] });
    }
  });

  it('authenticates before it says whether a route exists; then 405 with Allow for a known path, 404 for an unknown one', async () => {
    const call = (method: string, path: string, token?: string) =>
      fetch(`${server.adminUrl}/admin/v1${path}`, { method, headers: token ? { authorization: `Bearer ${token}` } : {} });
    for (const [method, path] of [['PUT', '/clients'], ['DELETE', '/keys'], ['GET', '/nowhere'], ['POST', '/users/taro/nothing']]) {
      const anonymous = await call(method, path);
      expect([method, path, anonymous.status, ((await anonymous.json()) as { error: string }).error]).toEqual([method, path, 401, 'unauthorized']);
    }
    const wrongMethod = await call('PUT', '/clients', server.adminToken.token);
    expect([wrongMethod.status, wrongMethod.headers.get('allow')]).toEqual([405, 'GET, HEAD, POST']);
    expect(await wrongMethod.json()).toMatchObject({ error: 'method_not_allowed', details: [] });
    const unknown = await call('GET', '/nowhere', server.adminToken.token);
    expect([unknown.status, ((await unknown.json()) as { error: string }).error]).toEqual([404, 'not_found']);
    // a read of a record that is not there is no refused action (client apply looks a client up before it creates it)
    const absent = await call('GET', '/clients/c-not-yet-created', server.adminToken.token);
    expect(absent.status).toBe(404);
    const refused = server.logs.events().filter((e) => e.event === 'admin.request_refused' && (e.status === 405 || e.status === 404));
    expect(refused.map((e) => [e.status, e.actor, e.method, e.path])).toEqual([[405, 'bootstrap', 'PUT', '/admin/v1/clients'], [404, 'bootstrap', 'GET', '/admin/v1/nowhere']]);
  });

  it('validates bodies against the route schema and reports every problem', async () => {
    const response = await fetch(`${server.adminUrl}/admin/v1/clients`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.adminToken.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ redirect_uris: 'https://x.example/cb', colour: 'blue' }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: string; details: { path: string }[] };
    expect(body.error).toBe('validation_failed');
    expect(body.details.map((d) => d.path).sort()).toEqual(['/client_name', '/colour', '/redirect_uris']);
    const refusal = server.logs.events().find((e) => e.event === 'admin.request_refused' && e.status === 400);
    expect(refusal).toMatchObject({ audit: true, outcome: 'refused', error: 'validation_failed', method: 'POST' });
    expect(JSON.stringify(refusal)).not.toContain('x.example');
  });

  it('answers a body over its limit with 413 too_large in the error contract, audited, and keeps serving', async () => {
    const post = (path: string, bytes: number) => fetch(`${server.adminUrl}/admin/v1${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.adminToken.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ client_name: 'a'.repeat(bytes), redirect_uris: ['https://x.example/cb'] }),
    });
    for (const [path, bytes] of [['/clients', 200_000], ['/clients', 2_000_000], ['/users/import', 5_000_000]] as const) {
      const response = await post(path, bytes);
      expect([path, bytes, response.status, response.headers.get('content-type')]).toEqual([path, bytes, 413, expect.stringMatching(/^application\/json/)]);
      expect(await response.json()).toMatchObject({ error: 'too_large', details: [] });
    }
    expect(server.logs.events().filter((e) => e.event === 'admin.request_refused' && e.status === 413)).toHaveLength(3);
    expect(server.logs.events().filter((e) => e.event === 'http.error')).toEqual([]);
    expect((await fetch(`${server.adminUrl}/admin/v1/clients`, { headers: { authorization: `Bearer ${server.adminToken.token}` } })).status).toBe(200);
  });

  it('serves Prometheus metrics that follow authorizations, tokens and lockouts', async () => {
    const client = await registerClient(server);
    const customer = await createCustomer(server);
    const journey = await completeJourney(server.issuer, client, customer);
    const code = callbackParams(journey.end.url).get('code')!;
    const tokens = await postForm(`${server.issuer}/token`, { grant_type: 'authorization_code', code, code_verifier: journey.verifier, redirect_uri: REDIRECT_URI }, { authorization: basicAuth(client) });
    expect(tokens.status).toBe(200);
    const victim = await createCustomer(server);
    const start = await startAuthorization(server.issuer, client);
    const loginPage = { ...start.landing, html: await start.landing.response.text() };
    for (let attempt = 0; attempt < 5; attempt++) {
      const failed = await submit(start.browser, loginPage, 'login', { login_id: victim.loginId, password: 'wrong password!' });
      expect(failed.response.status).toBe(401);
    }
    expect((await server.app.customers.findBySub(victim.sub))?.status).toBe('locked');

    const anonymous = await fetch(`${server.adminUrl}/metrics`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="renkei-admin"');
    const response = await fetch(`${server.adminUrl}/metrics`, { headers: { authorization: `Bearer ${server.adminToken.token}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(metricValue(text, /^renkei_authorizations_total\{outcome="started"\}/)).toBeGreaterThanOrEqual(2);
    expect(metricValue(text, /^renkei_authorizations_total\{outcome="completed"\}/)).toBeGreaterThanOrEqual(1);
    expect(metricValue(text, new RegExp(`^renkei_tokens_issued_total\\{grant_type="authorization_code",client_id="${client.clientId}"\\}`))).toBeGreaterThanOrEqual(1);
    expect(metricValue(text, /^renkei_account_lockouts_total/)).toBe(1);
    expect(text).toMatch(/^renkei_http_requests_total\{listener="public",route="\/token",status="200"\} \d+/m);
    expect(text).toMatch(/^renkei_http_requests_total\{listener="public",route="\/interaction\/:uid\/login",status="303"\} \d+/m);
    expect(text).toContain('renkei_http_request_duration_seconds_bucket');
    expect(text).toContain('renkei_redis_errors_total');
    expect(text).not.toContain(code);
  });
});
