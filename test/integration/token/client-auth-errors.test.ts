/**
 * RFC 6749 §5.2 at every endpoint that authenticates the client: a request that does not
 * authenticate as the client it names is `401 invalid_client`, with `WWW-Authenticate: Basic`
 * when it used HTTP Basic; other malformed requests from an authenticated client stay `400
 * invalid_request`.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { basicAuth, pkcePair, postForm, REDIRECT_URI, registerClient, type TestClient } from '../../support/oauth-fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { ASSERTION_TYPE, endpointsOf, FapiPartner, type Endpoints } from '../fapi/fapi-kit.js';

let server: TestServer;
let endpoints: Endpoints;
let alice: TestClient;
let bob: TestClient;
let fapi: FapiPartner;
let urls: Record<Endpoint, string>;

beforeAll(async () => {
  server = await startTestServer();
  endpoints = await endpointsOf(server);
  const discovery = (await (await fetch(`${server.issuer}/.well-known/openid-configuration`)).json()) as Record<string, string>;
  urls = { token: endpoints.token, par: endpoints.par, introspection: endpoints.introspection, revocation: discovery.revocation_endpoint! };
  [alice, bob] = await Promise.all([registerClient(server), registerClient(server)]);
  fapi = await FapiPartner.register(server, endpoints);
});
afterAll(() => server.close());

type Endpoint = 'token' | 'par' | 'introspection' | 'revocation';
const ENDPOINTS: Endpoint[] = ['token', 'par', 'introspection', 'revocation'];

const urlOf = (endpoint: Endpoint) => urls[endpoint];

/** What each endpoint needs besides client authentication (all of it well-formed). */
function paramsFor(endpoint: Endpoint): Record<string, string> {
  switch (endpoint) {
    case 'token':
      return { grant_type: 'authorization_code', code: 'unknown-code', code_verifier: 'v'.repeat(43), redirect_uri: REDIRECT_URI };
    case 'par':
      return { response_type: 'code', redirect_uri: REDIRECT_URI, scope: 'openid', code_challenge: pkcePair().challenge, code_challenge_method: 'S256' };
    default:
      return { token: 'unknown-token' };
  }
}

const BASIC_CHALLENGE = () => `Basic realm="${server.issuer}", error="invalid_client", error_description="client authentication failed"`;

interface Case {
  readonly label: string;
  readonly basic: boolean;
  send(endpoint: Endpoint): Promise<{ status: number; json: Record<string, unknown>; headers: Headers }>;
}

const CASES: Case[] = [
  {
    label: 'no client authentication at all',
    basic: false,
    send: (endpoint) => postForm(urlOf(endpoint), paramsFor(endpoint)),
  },
  // an attempt to authenticate in the Authorization header that cannot be read: §5.2's MUST (401 and the challenge)
  ...([
    ['an Authorization header that is not base64', 'Basic !!!notb64***'],
    ['HTTP Basic without a colon', `Basic ${Buffer.from('client-without-colon').toString('base64')}`],
    ['HTTP Basic with a client_id that is not properly percent-encoded', `Basic ${Buffer.from('p%zz:secret').toString('base64')}`],
    ['HTTP Basic with an empty secret', `Basic ${Buffer.from('some-client:').toString('base64')}`],
    ['an Authorization scheme other than Basic', 'Bearer some-token'],
  ] as const).map(([label, authorization]) => ({
    label,
    basic: true,
    send: (endpoint: Endpoint) => postForm(urlOf(endpoint), paramsFor(endpoint), { authorization }),
  })),
  {
    label: 'HTTP Basic for one client, client_id naming another',
    basic: true,
    send: (endpoint) => postForm(urlOf(endpoint), { ...paramsFor(endpoint), client_id: bob.clientId }, { authorization: basicAuth(alice) }),
  },
  {
    label: 'HTTP Basic for one client, client_id naming a client that does not exist',
    basic: true,
    send: (endpoint) => postForm(urlOf(endpoint), { ...paramsFor(endpoint), client_id: 'nobody' }, { authorization: basicAuth(alice) }),
  },
  {
    label: 'a private_key_jwt assertion whose sub and iss are another client than client_id',
    basic: false,
    send: async (endpoint) => postForm(urlOf(endpoint), {
      ...paramsFor(endpoint), client_id: bob.clientId, client_assertion_type: ASSERTION_TYPE, client_assertion: await fapi.assertion(),
    }),
  },
  // RFC 7523 §3.2: a client assertion that is not a valid JWT is invalid_client
  ...(['garbage', 'a.b.c', 'eyJhbGciOiJub25lIn0.e30.'] as const).map((assertion) => ({
    label: `a client_assertion that cannot be read as a JWT (${assertion})`,
    basic: false,
    send: (endpoint: Endpoint) => postForm(urlOf(endpoint), { ...paramsFor(endpoint), client_id: fapi.clientId, client_assertion_type: ASSERTION_TYPE, client_assertion: assertion }),
  })),
  {
    label: 'a private_key_jwt assertion whose iss is another client than its sub and client_id',
    basic: false,
    send: async (endpoint) => postForm(urlOf(endpoint), {
      ...paramsFor(endpoint), client_id: fapi.clientId, client_assertion_type: ASSERTION_TYPE, client_assertion: await fapi.assertion({ claims: { iss: bob.clientId } }),
    }),
  },
];

describe('client authentication errors (RFC 6749 §5.2): 401 invalid_client', () => {
  describe.each(ENDPOINTS)('at the %s endpoint', (endpoint) => {
    it.each(CASES.map((c) => [c.label, c] as const))('%s', async (_label, testCase) => {
      const response = await testCase.send(endpoint);
      expect([response.status, response.json.error]).toEqual([401, 'invalid_client']);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(response.headers.get('www-authenticate')).toBe(testCase.basic ? BASIC_CHALLENGE() : null);
    });
  });
});

describe('requests from an authenticated client stay what they were (controls)', () => {
  const asAlice = (endpoint: Endpoint, params: Record<string, string>) => postForm(urlOf(endpoint), params, { authorization: basicAuth(alice) });

  it('token: an unknown code is 400 invalid_grant; no grant_type is 400 invalid_request', async () => {
    const unknownCode = await asAlice('token', paramsFor('token'));
    expect([unknownCode.status, unknownCode.json.error]).toEqual([400, 'invalid_grant']);
    const { grant_type: _omitted, ...withoutGrantType } = paramsFor('token');
    const missing = await asAlice('token', withoutGrantType);
    expect([missing.status, missing.json.error]).toEqual([400, 'invalid_request']);
    expect(missing.headers.get('www-authenticate')).toBeNull();
  });

  it('PAR: a good request is 201; no response_type is 400 invalid_request', async () => {
    const good = await asAlice('par', { ...paramsFor('par'), client_id: alice.clientId });
    expect([good.status, good.json.error]).toEqual([201, undefined]);
    const { response_type: _omitted, ...withoutResponseType }: Record<string, string> = { ...paramsFor('par'), client_id: alice.clientId };
    const missing = await asAlice('par', withoutResponseType);
    expect([missing.status, missing.json.error]).toEqual([400, 'invalid_request']);
  });

  it('introspection: an unknown token is 200 active false; no token is 400 invalid_request', async () => {
    const unknown = await asAlice('introspection', paramsFor('introspection'));
    expect([unknown.status, unknown.json]).toEqual([200, { active: false }]);
    const missing = await asAlice('introspection', {});
    expect([missing.status, missing.json.error]).toEqual([400, 'invalid_request']);
  });

  it('revocation: an unknown token is 200; no token is 400 invalid_request', async () => {
    expect((await asAlice('revocation', paramsFor('revocation'))).status).toBe(200);
    const missing = await asAlice('revocation', {});
    expect([missing.status, missing.json.error]).toEqual([400, 'invalid_request']);
  });

  it('a body over 56 KB (oidc-provider\'s limit) is 413 invalid_request, and the connection still answers', async () => {
    const response = await postForm(endpoints.token, { ...paramsFor('token'), padding: 'x'.repeat(60 * 1024) }, { authorization: basicAuth(alice) });
    expect([response.status, response.json.error]).toEqual([413, 'invalid_request']);
    // far larger than the socket's buffers: the client, still sending, reads the answer too
    const huge = await postForm(endpoints.token, { ...paramsFor('token'), padding: 'x'.repeat(5 * 1024 * 1024) }, { authorization: basicAuth(alice) });
    expect([huge.status, huge.json.error]).toEqual([413, 'invalid_request']);
    const next = await postForm(endpoints.token, paramsFor('token'), { authorization: basicAuth(alice) });
    expect([next.status, next.json.error]).toEqual([400, 'invalid_grant']);
  });

  it('HTTP Basic and client_secret in the body at once stays 400 invalid_request (two mechanisms: a malformed request)', async () => {
    const response = await postForm(endpoints.token, { ...paramsFor('token'), client_secret: alice.clientSecret! }, { authorization: basicAuth(alice) });
    expect([response.status, response.json.error]).toEqual([400, 'invalid_request']);
    expect(response.headers.get('www-authenticate')).toBeNull();
  });

  it('a wrong secret over HTTP Basic was already 401 invalid_client with the Basic challenge', async () => {
    const response = await postForm(endpoints.token, paramsFor('token'), { authorization: basicAuth({ clientId: alice.clientId, clientSecret: 'wrong' }) });
    expect([response.status, response.json.error]).toEqual([401, 'invalid_client']);
    expect(response.headers.get('www-authenticate')).toBe(BASIC_CHALLENGE());
  });
});
