import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { basicAuth, issueCode, postForm, REDIRECT_URI, registerClient, seedCustomer } from '../../support/oauth-fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

let server: TestServer;
let tokenEndpoint: string;

beforeAll(async () => {
  server = await startTestServer();
  const discovery = (await (await fetch(`${server.issuer}/.well-known/openid-configuration`)).json()) as { token_endpoint: string };
  tokenEndpoint = discovery.token_endpoint;
});
afterAll(() => server.close());

describe('authorization code redemption (RFC 6749 §4.1.2, single use)', () => {
  it('gives tokens to exactly one of 20 parallel redemptions of one code; the rest get 400 invalid_grant', async () => {
    const client = await registerClient(server);
    const sub = await seedCustomer(server);
    const { code, verifier } = await issueCode(server, client, sub);

    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        postForm(tokenEndpoint, { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT_URI }, { authorization: basicAuth(client) }),
      ),
    );

    const winners = responses.filter((r) => r.status === 200);
    const losers = responses.filter((r) => r.status !== 200);
    expect(winners).toHaveLength(1);
    expect(winners[0]!.json).toMatchObject({ token_type: 'Bearer', expires_in: 600 });
    expect(typeof winners[0]!.json.access_token).toBe('string');
    expect(typeof winners[0]!.json.id_token).toBe('string');
    expect(losers.map((r) => [r.status, r.json.error])).toEqual(Array(19).fill([400, 'invalid_grant']));
  });

  it('refuses a replayed code and revokes the access token issued with it', async () => {
    const client = await registerClient(server);
    const sub = await seedCustomer(server);
    const { code, verifier } = await issueCode(server, client, sub);
    const form = { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT_URI };

    const first = await postForm(tokenEndpoint, form, { authorization: basicAuth(client) });
    expect(first.status).toBe(200);
    const accessToken = first.json.access_token as string;
    const userinfoBefore = await fetch(`${server.issuer}/me`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(userinfoBefore.status).toBe(200);

    const replay = await postForm(tokenEndpoint, form, { authorization: basicAuth(client) });
    expect([replay.status, replay.json.error]).toEqual([400, 'invalid_grant']);
    // RFC 6749 §5.1 and §5.2: tokens and errors alike, never cached
    for (const response of [first, replay]) {
      expect([response.headers.get('cache-control'), response.headers.get('pragma')]).toEqual(['no-store', 'no-cache']);
    }

    const userinfoAfter = await fetch(`${server.issuer}/me`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(userinfoAfter.status).toBe(401);
  });

  it('requires the PKCE verifier that matches the code challenge', async () => {
    const client = await registerClient(server);
    const sub = await seedCustomer(server);
    const { code } = await issueCode(server, client, sub);
    const response = await postForm(
      tokenEndpoint,
      { grant_type: 'authorization_code', code, code_verifier: 'x'.repeat(43), redirect_uri: REDIRECT_URI },
      { authorization: basicAuth(client) },
    );
    expect([response.status, response.json.error]).toEqual([400, 'invalid_grant']);
  });
});

describe('refresh token rotation for public clients', () => {
  it('lets exactly one of 20 parallel refreshes with one rotating refresh token succeed', async () => {
    const client = await registerClient(server, { isPublic: true });
    const sub = await seedCustomer(server);
    const { code, verifier } = await issueCode(server, client, sub, 'openid offline_access accounts');
    const issued = await postForm(tokenEndpoint, {
      grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT_URI, client_id: client.clientId,
    });
    expect(issued.status).toBe(200);
    const refreshToken = issued.json.refresh_token as string;
    expect(typeof refreshToken).toBe('string');

    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        postForm(tokenEndpoint, { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: client.clientId }),
      ),
    );
    expect(responses.filter((r) => r.status === 200)).toHaveLength(1);
    expect(responses.filter((r) => r.status !== 200).map((r) => [r.status, r.json.error])).toEqual(Array(19).fill([400, 'invalid_grant']));
  });
});
