import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createRemoteJWKSet, exportJWK, generateKeyPair, jwtVerify, decodeProtectedHeader } from 'jose';
import * as oidc from 'openid-client';
import { Browserless } from '../../support/browserless.js';
import { walkScreens } from '../../support/journey.js';
import { createCustomer, REDIRECT_URI } from '../../support/oauth-fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

const BANK_API = 'https://api.example-shinkumi.jp/';
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

/** Sends the browser through the screens from an authorization URL built by the library; returns the callback URL. */
async function customerAuthorizes(url: URL): Promise<URL> {
  const customer = await createCustomer(server);
  const browser = new Browserless(server.issuer);
  const landing = await browser.follow(await browser.get(url.toString()));
  const { end } = await walkScreens(browser, landing, customer);
  expect(end.response.status).toBe(303);
  return new URL(end.url);
}

describe('openid-client as a standard partner (client_secret_basic)', () => {
  it('discovers, authorizes with PKCE, redeems the code, reads userinfo and refreshes', async () => {
    const { record, clientSecret } = await server.app.clients.create({
      client_name: 'Standard partner', redirect_uris: [REDIRECT_URI], scope: 'openid offline_access accounts',
    });
    const config = await oidc.discovery(new URL(server.issuer), record.client_id, clientSecret, oidc.ClientSecretBasic(clientSecret!), { execute: [oidc.allowInsecureRequests] });
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT_URI, scope: 'openid offline_access accounts', prompt: 'consent', state,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
    });
    const callback = await customerAuthorizes(url);
    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state });
    expect(tokens.token_type.toLowerCase()).toBe('bearer');
    const sub = tokens.claims()!.sub;
    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, sub);
    expect(userinfo.sub).toBe(sub);

    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect(refreshed.refresh_token).toBe(tokens.refresh_token);
  });
});

describe('openid-client as a FAPI 2.0 partner (PAR + private_key_jwt + DPoP)', () => {
  it('runs the flow through the real screens; userinfo works with the DPoP proof and fails as Bearer; refresh stays bound', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const { record } = await server.app.clients.create({
      client_name: 'FAPI partner', redirect_uris: [REDIRECT_URI], scope: 'openid offline_access accounts transactions',
      profile: 'fapi2', jwks: { keys: [{ ...(await exportJWK(publicKey)), alg: 'ES256', use: 'sig', kid: 'partner-1' }] },
    });
    expect(record).toMatchObject({ token_endpoint_auth_method: 'private_key_jwt', require_pushed_authorization_requests: true, dpop_bound_access_tokens: true });

    const config = await oidc.discovery(new URL(server.issuer), record.client_id, { id_token_signed_response_alg: 'PS256' }, oidc.PrivateKeyJwt({ key: privateKey, kid: 'partner-1' }), { execute: [oidc.allowInsecureRequests] });
    // fapi2 requires DPoP server nonces (RFC 9449 §8): openid-client retries once on use_dpop_nonce
    const refusedFor: string[] = [];
    config[oidc.customFetch] = async (url, options) => {
      const response = await fetch(url, options as RequestInit);
      if (response.status === 400) refusedFor.push(`${new URL(url).pathname} ${((await response.clone().json()) as { error?: string }).error}`);
      return response;
    };
    const dpop = oidc.getDPoPHandle(config, await oidc.randomDPoPKeyPair('ES256'));
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();

    // a plain authorization request is refused for a fapi2 client
    const plain = oidc.buildAuthorizationUrl(config, { redirect_uri: REDIRECT_URI, scope: 'openid', state, code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
    const refused = await fetch(plain, { redirect: 'manual' });
    expect(new URL(refused.headers.get('location')!).searchParams.get('error')).toBe('invalid_request');

    const url = await oidc.buildAuthorizationUrlWithPAR(config, {
      redirect_uri: REDIRECT_URI, scope: 'openid offline_access accounts', prompt: 'consent', state, resource: BANK_API,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
    }, { DPoP: dpop });
    expect(refusedFor).toEqual(['/request use_dpop_nonce']);
    const callback = await customerAuthorizes(url);
    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state }, undefined, { DPoP: dpop });
    expect(tokens.token_type.toLowerCase()).toBe('dpop');
    // the nonce learnt at PAR serves the token endpoint too (one secret, every endpoint and instance)
    expect(refusedFor).toEqual(['/request use_dpop_nonce']);
    expect(decodeProtectedHeader(tokens.id_token!).alg).toBe('PS256');

    // the bank API verifies the JWT access token (RFC 9068) against the JWKS
    const { payload, protectedHeader } = await jwtVerify(tokens.access_token, createRemoteJWKSet(new URL(`${server.issuer}/jwks`)), {
      issuer: server.issuer, audience: BANK_API, typ: 'at+jwt',
    });
    expect(protectedHeader.alg).toBe('PS256');
    expect(payload).toMatchObject({ client_id: record.client_id, scope: 'accounts' });
    expect((payload.cnf as { jkt?: string }).jkt).toBeTruthy();

    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!, undefined, { DPoP: dpop });
    expect(refreshed.token_type.toLowerCase()).toBe('dpop');
    expect(refreshed.refresh_token ?? tokens.refresh_token).toBe(tokens.refresh_token);

    // a second authorization without a resource: an access token for userinfo, DPoP-bound
    const verifier2 = oidc.randomPKCECodeVerifier();
    const state2 = oidc.randomState();
    const url2 = await oidc.buildAuthorizationUrlWithPAR(config, {
      redirect_uri: REDIRECT_URI, scope: 'openid accounts', state: state2,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier2), code_challenge_method: 'S256',
    }, { DPoP: dpop });
    const forUserinfo = await oidc.authorizationCodeGrant(config, await customerAuthorizes(url2), { pkceCodeVerifier: verifier2, expectedState: state2 }, undefined, { DPoP: dpop });
    const sub = forUserinfo.claims()!.sub;
    expect((await oidc.fetchUserInfo(config, forUserinfo.access_token, sub, { DPoP: dpop })).sub).toBe(sub);
    const asBearer = await fetch(`${server.issuer}/me`, { headers: { authorization: `Bearer ${forUserinfo.access_token}` } });
    expect(asBearer.status).toBe(401);
    expect(asBearer.headers.get('www-authenticate')).toMatch(/invalid_token/);
  });
});
