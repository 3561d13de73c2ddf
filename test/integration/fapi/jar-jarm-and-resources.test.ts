/**
 * Signed requests (JAR, RFC 9101) and signed responses (JARM), resource indicators (RFC 8707)
 * with JWT access tokens (RFC 9068) and introspection (RFC 7662), pairwise subjects (OIDC Core
 * §8.1) and refresh (rotation for public clients only), all through the real screens.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import { Browserless } from '../../support/browserless.js';
import { walkScreens } from '../../support/journey.js';
import { createCustomer, REDIRECT_URI, type TestCustomer } from '../../support/oauth-fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { BANK_API, DpopKey, endpointsOf, FapiPartner, StandardPartner, userinfo, type Endpoints } from './fapi-kit.js';

let server: TestServer;
let endpoints: Endpoints;
let jwks: ReturnType<typeof createRemoteJWKSet>;

beforeAll(async () => {
  server = await startTestServer();
  endpoints = await endpointsOf(server);
  jwks = createRemoteJWKSet(new URL(endpoints.jwks));
});
afterAll(() => server.close());

const customer = () => createCustomer(server);
const codeForm = (code: string, verifier: string) => ({ grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT_URI });
const isJwt = (token: string) => token.split('.').length === 3;

describe('JAR: request objects pushed to PAR', () => {
  it('runs a signed request object (ES256: iss, aud, exp, nbf, client_id and the parameters) through the screens to tokens', async () => {
    const partner = await FapiPartner.register(server, endpoints);
    const dpop = await DpopKey.generate();
    const authorized = await partner.authorize(await customer(), { requestObject: true, dpop, extra: { scope: 'openid accounts transactions' } });
    expect(authorized.status).toBe(303);
    expect(`${authorized.url.origin}${authorized.url.pathname}`).toBe(REDIRECT_URI);
    expect(authorized.params.get('state')).toBe(authorized.state);
    expect(authorized.params.get('iss')).toBe(endpoints.issuer);
    const response = await partner.token(codeForm(authorized.code!, authorized.verifier), { dpop });
    expect([response.status, response.json.token_type, response.json.scope]).toEqual([200, 'DPoP', 'openid accounts transactions']);
  });

  it('runs a PS256 request object from a partner with an RSA key', async () => {
    const partner = await FapiPartner.register(server, endpoints, { alg: 'PS256' });
    expect(partner.record.request_object_signing_alg).toBe('PS256');
    const dpop = await DpopKey.generate();
    const authorized = await partner.authorize(await customer(), { requestObject: true, dpop });
    const response = await partner.token(codeForm(authorized.code!, authorized.verifier), { dpop });
    expect([response.status, response.json.token_type]).toEqual([200, 'DPoP']);
  });

  it('takes the parameters from the request object only (parameters outside it are not used)', async () => {
    const partner = await FapiPartner.register(server, endpoints);
    const { params } = partner.authorizationParams({ scope: 'openid accounts' });
    const pushed = await partner.push({ client_id: partner.clientId, request: await partner.requestObject(params), scope: 'openid accounts transactions transfers' });
    expect(pushed.status).toBe(201);
    const browser = new Browserless(server.issuer);
    const landing = await browser.follow(await browser.get(`${endpoints.authorization}?${new URLSearchParams({ client_id: partner.clientId, request_uri: pushed.json.request_uri as string })}`));
    const { pages } = await walkScreens(browser, landing, await customer());
    expect(pages.consent?.html).toContain('口座情報（口座一覧・残高）の照会');
    expect(pages.consent?.html).not.toContain('振込の依頼');
    expect(pages.consent?.html).not.toContain('入出金明細の照会');
  });

  it('refuses a PAR without `request` from a client registered with require_signed_request_object: 400 invalid_request; with one: 201', async () => {
    const partner = await FapiPartner.register(server, endpoints, { metadata: { require_signed_request_object: true } });
    const { params } = partner.authorizationParams();
    const plain = await partner.push(params);
    expect([plain.status, plain.json.error]).toEqual([400, 'invalid_request']);
    const signed = await partner.push({ client_id: partner.clientId, request: await partner.requestObject(params) });
    expect(signed.status).toBe(201);
  });
});

describe('JARM: response_mode=jwt', () => {
  it('answers with `response`, a JWT signed PS256 (iss, aud = client_id, exp, code, state) verifiable against the JWKS; its code redeems', async () => {
    const partner = await FapiPartner.register(server, endpoints);
    const dpop = await DpopKey.generate();
    const authorized = await partner.authorize(await customer(), { dpop, extra: { response_mode: 'jwt' } });
    expect(authorized.status).toBe(303);
    expect(`${authorized.url.origin}${authorized.url.pathname}`).toBe(REDIRECT_URI);
    expect([...authorized.params.keys()]).toEqual(['response']);
    const response = authorized.params.get('response')!;

    const { payload, protectedHeader } = await jwtVerify(response, jwks, { issuer: endpoints.issuer, audience: partner.clientId, requiredClaims: ['exp'] });
    expect(protectedHeader.alg).toBe('PS256');
    expect(payload.state).toBe(authorized.state);
    expect(payload.code).toEqual(expect.any(String));
    expect(payload.error).toBeUndefined();

    const tokens = await partner.token(codeForm(payload.code as string, authorized.verifier), { dpop });
    expect([tokens.status, tokens.json.token_type]).toEqual([200, 'DPoP']);
  });

  it('is verified by openid-client (useJwtResponseMode) as a FAPI partner would, and refuses a tampered response', async () => {
    const partner = await FapiPartner.register(server, endpoints);
    const config = await oidc.discovery(
      new URL(server.issuer), partner.clientId, { id_token_signed_response_alg: 'PS256', authorization_signed_response_alg: 'PS256' },
      oidc.PrivateKeyJwt({ key: partner.privateKey, kid: partner.kid }), { execute: [oidc.allowInsecureRequests] },
    );
    oidc.useJwtResponseMode(config);
    const dpop = oidc.getDPoPHandle(config, await oidc.randomDPoPKeyPair('ES256'));
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const url = await oidc.buildAuthorizationUrlWithPAR(config, {
      redirect_uri: REDIRECT_URI, scope: 'openid accounts', state, response_mode: 'jwt',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
    }, { DPoP: dpop });
    const browser = new Browserless(server.issuer);
    const { end } = await walkScreens(browser, await browser.follow(await browser.get(url.toString())), await customer());
    const callback = new URL(end.url);

    const tampered = new URL(callback);
    const [header, body] = callback.searchParams.get('response')!.split('.');
    tampered.searchParams.set('response', `${header}.${body}.${'A'.repeat(342)}`);
    await expect(oidc.authorizationCodeGrant(config, tampered, { pkceCodeVerifier: verifier, expectedState: state }, undefined, { DPoP: dpop })).rejects.toThrow();

    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state }, undefined, { DPoP: dpop });
    expect(tokens.token_type.toLowerCase()).toBe('dpop');
    expect(tokens.claims()!.aud).toBe(partner.clientId);
  });
});

describe('resource indicators: JWT access tokens for the bank API, opaque ones for userinfo', () => {
  it('gives a fapi2 partner a JWT access token (typ at+jwt, PS256) for the resource, bound to its DPoP key (cnf.jkt)', async () => {
    const partner = await FapiPartner.register(server, endpoints);
    const dpop = await DpopKey.generate();
    const who = await customer();
    const tokens = await partner.tokens(who, dpop, { scope: 'openid accounts transactions', resource: BANK_API });
    expect(tokens.token_type).toBe('DPoP');

    const { payload, protectedHeader } = await jwtVerify(tokens.access_token, jwks, { issuer: endpoints.issuer, audience: BANK_API, typ: 'at+jwt' });
    expect(protectedHeader.alg).toBe('PS256');
    expect(payload).toMatchObject({ client_id: partner.clientId, sub: who.sub, scope: 'accounts transactions' });
    expect(payload.aud).toBe(BANK_API);
    expect((payload.cnf as { jkt?: string } | undefined)?.jkt).toBe(await dpop.thumbprint());
    expect(payload.exp! - payload.iat!).toBe(600);
    expect(payload.jti).toEqual(expect.any(String));

    // a token for the bank API is not a token for userinfo
    const atUserinfo = await userinfo(endpoints, `DPoP ${tokens.access_token}`, await dpop.proof('GET', endpoints.userinfo, { accessToken: tokens.access_token }));
    expect(atUserinfo.status).toBe(401);
  });

  it('gives a standard partner a bearer JWT access token for the resource (no cnf)', async () => {
    const partner = await StandardPartner.register(server, endpoints);
    const who = await customer();
    const tokens = await partner.tokens(who, { extra: { resource: BANK_API } });
    expect(tokens.token_type).toBe('Bearer');
    const { payload } = await jwtVerify(tokens.access_token, jwks, { issuer: endpoints.issuer, audience: BANK_API, typ: 'at+jwt' });
    expect(payload).toMatchObject({ client_id: partner.clientId, sub: who.sub, scope: 'accounts' });
    expect(payload.cnf).toBeUndefined();
  });

  it('gives an opaque access token without a resource; introspection: active for the partner it was issued to, inactive for another', async () => {
    const partner = await StandardPartner.register(server, endpoints);
    const other = await StandardPartner.register(server, endpoints);
    const who = await customer();
    const tokens = await partner.tokens(who);
    expect(isJwt(tokens.access_token)).toBe(false);

    const own = await partner.introspect(tokens.access_token);
    expect(own.status).toBe(200);
    expect(own.json).toMatchObject({ active: true, client_id: partner.clientId, sub: who.sub, scope: 'openid accounts', token_type: 'Bearer' });
    expect(own.json.exp).toEqual(expect.any(Number));

    const foreign = await other.introspect(tokens.access_token);
    expect([foreign.status, foreign.json]).toEqual([200, { active: false }]);
  });

  it('tells a public partner, which cannot authenticate (RFC 7662 §2.1), nothing about its own tokens; discovery does not offer none for introspection', async () => {
    const partner = await StandardPartner.register(server, endpoints, { isPublic: true });
    const tokens = await partner.tokens(await customer(), { scope: 'openid offline_access accounts', extra: { prompt: 'consent' } });
    for (const token of [tokens.access_token, tokens.refresh_token!]) {
      const answer = await partner.introspect(token);
      expect([answer.status, answer.json]).toEqual([200, { active: false }]);
    }
    const discovery = (await (await fetch(`${server.issuer}/.well-known/openid-configuration`)).json()) as Record<string, string[]>;
    expect(discovery.introspection_endpoint_auth_methods_supported).not.toContain('none');
    expect(discovery.revocation_endpoint_auth_methods_supported).toContain('none');
  });

  it('introspects a fapi2 partner\'s opaque DPoP-bound token for it (private_key_jwt): active, with cnf.jkt', async () => {
    const partner = await FapiPartner.register(server, endpoints);
    const dpop = await DpopKey.generate();
    const who = await customer();
    const tokens = await partner.tokens(who, dpop);
    expect(isJwt(tokens.access_token)).toBe(false);
    const own = await partner.introspect(tokens.access_token);
    expect(own.status).toBe(200);
    expect(own.json).toMatchObject({ active: true, client_id: partner.clientId, sub: who.sub, scope: 'openid accounts', token_type: 'DPoP', cnf: { jkt: await dpop.thumbprint() } });
    const other = await FapiPartner.register(server, endpoints);
    expect((await other.introspect(tokens.access_token)).json).toEqual({ active: false });
  });

  it('refuses an unknown resource at PAR: 400 invalid_target', async () => {
    const partner = await FapiPartner.register(server, endpoints);
    const { params } = partner.authorizationParams({ resource: 'https://unknown-api.example/' });
    const response = await partner.push(params);
    expect([response.status, response.json.error]).toEqual([400, 'invalid_target']);
  });

  it('refuses an unknown resource at the authorization endpoint: redirect with error=invalid_target', async () => {
    const partner = await StandardPartner.register(server, endpoints);
    const query = new URLSearchParams({
      client_id: partner.clientId, response_type: 'code', redirect_uri: REDIRECT_URI, scope: 'openid accounts', state: 's-1',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256', resource: 'https://unknown-api.example/',
    });
    const response = await fetch(`${endpoints.authorization}?${query}`, { redirect: 'manual' });
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
    expect([location.searchParams.get('error'), location.searchParams.get('state')]).toEqual(['invalid_target', 's-1']);
  });

  it('refuses an unknown resource at the token endpoint: 400 invalid_target, leaving the code unspent for the corrected request', async () => {
    const partner = await StandardPartner.register(server, endpoints);
    const { code, verifier } = await partner.authorize(await customer(), { extra: { resource: BANK_API } });
    const response = await partner.token({ ...codeForm(code!, verifier), resource: 'https://unknown-api.example/' });
    expect([response.status, response.json.error]).toEqual([400, 'invalid_target']);
    // a spent code would have answered invalid_grant and revoked the customer's grant to the partner
    const corrected = await partner.token({ ...codeForm(code!, verifier), resource: BANK_API });
    expect([corrected.status, corrected.json.error, isJwt(corrected.json.access_token as string)]).toEqual([200, undefined, true]);
  });

  it('refuses more than one resource at the token endpoint (an access token is for one resource): 400 invalid_target, leaving the code unspent', async () => {
    const partner = await StandardPartner.register(server, endpoints);
    const { code, verifier } = await partner.authorize(await customer(), { extra: { resource: BANK_API } });
    for (const resource of [[BANK_API, BANK_API], [BANK_API, 'https://unknown-api.example/']]) {
      const response = await partner.token({ ...codeForm(code!, verifier), resource });
      expect([response.status, response.json.error, response.json.error_description]).toEqual([400, 'invalid_target', 'only a single resource indicator value must be requested/resolved during Access Token Request']);
    }
    const corrected = await partner.token({ ...codeForm(code!, verifier), resource: BANK_API });
    expect([corrected.status, corrected.json.error, isJwt(corrected.json.access_token as string)]).toEqual([200, undefined, true]);
  });
});

describe('pairwise subjects (subject_type pairwise)', () => {
  let who: TestCustomer;
  const subOf = async (partner: StandardPartner) => {
    const tokens = await partner.tokens(who);
    const fromIdToken = decodeJwt(tokens.id_token).sub;
    const fromUserinfo = await userinfo(endpoints, `Bearer ${tokens.access_token}`);
    expect(fromUserinfo.json.sub).toBe(fromIdToken);
    const introspected = await partner.introspect(tokens.access_token);
    expect(introspected.json.sub).toBe(fromIdToken);
    return fromIdToken!;
  };

  beforeAll(async () => {
    who = await customer();
  });

  it('gives a pairwise client a sub that is not the customer\'s, the same on every authorization, and different from another sector\'s', async () => {
    const first = await StandardPartner.register(server, endpoints, { metadata: { subject_type: 'pairwise' } });
    const other = await StandardPartner.register(server, endpoints, { redirectUri: 'https://other-partner.example/callback', metadata: { subject_type: 'pairwise' } });
    const sameSector = await StandardPartner.register(server, endpoints, { metadata: { subject_type: 'pairwise' } });
    const publicSub = await StandardPartner.register(server, endpoints);

    const a1 = await subOf(first);
    const a2 = await subOf(first);
    const b = await subOf(other);
    const sameHost = await subOf(sameSector);
    expect(await subOf(publicSub)).toBe(who.sub);

    expect(a1).not.toBe(who.sub);
    expect(a2).toBe(a1);
    expect(b).not.toBe(who.sub);
    expect(b).not.toBe(a1);
    // OIDC Core §8.1: the sector is the host of the redirect URIs
    expect(sameHost).toBe(a1);
  });
});

describe('refresh tokens', () => {
  it('fapi2: refreshes with the DPoP key (token_type DPoP), does not rotate the refresh token, and refuses a refresh without a proof', async () => {
    const partner = await FapiPartner.register(server, endpoints);
    const dpop = await DpopKey.generate();
    const tokens = await partner.tokens(await customer(), dpop, { scope: 'openid offline_access accounts', prompt: 'consent' });
    const refreshToken = tokens.refresh_token!;
    expect(refreshToken).toEqual(expect.any(String));

    const first = await partner.token({ grant_type: 'refresh_token', refresh_token: refreshToken }, { dpop });
    expect([first.status, first.json.token_type]).toEqual([200, 'DPoP']);
    expect(first.json.access_token).not.toBe(tokens.access_token);
    expect(first.json.refresh_token).toBe(refreshToken);
    const accessToken = first.json.access_token as string;
    expect((await userinfo(endpoints, `DPoP ${accessToken}`, await dpop.proof('GET', endpoints.userinfo, { accessToken }))).status).toBe(200);

    const second = await partner.token({ grant_type: 'refresh_token', refresh_token: refreshToken }, { dpop });
    expect([second.status, second.json.refresh_token]).toEqual([200, refreshToken]);

    const withoutProof = await partner.token({ grant_type: 'refresh_token', refresh_token: refreshToken });
    expect(withoutProof.status).toBe(400);
    expect(['invalid_grant', 'invalid_request', 'invalid_dpop_proof']).toContain(withoutProof.json.error);
    expect(withoutProof.json.access_token).toBeUndefined();
  });

  it('standard confidential client: refresh token not rotated, keeps working', async () => {
    const partner = await StandardPartner.register(server, endpoints);
    const tokens = await partner.tokens(await customer(), { scope: 'openid offline_access accounts', extra: { prompt: 'consent' } });
    const refreshToken = tokens.refresh_token!;
    for (let i = 0; i < 2; i++) {
      const refreshed = await partner.token({ grant_type: 'refresh_token', refresh_token: refreshToken });
      expect([refreshed.status, refreshed.json.token_type, refreshed.json.refresh_token]).toEqual([200, 'Bearer', refreshToken]);
    }
  });

  it('public standard client: rotates the refresh token; reusing the old one is refused (invalid_grant) and revokes the grant: the new one and its access token stop working', async () => {
    const partner = await StandardPartner.register(server, endpoints, { isPublic: true });
    const tokens = await partner.tokens(await customer(), { scope: 'openid offline_access accounts', extra: { prompt: 'consent' } });
    const old = tokens.refresh_token!;
    expect(old).toEqual(expect.any(String));

    const rotated = await partner.token({ grant_type: 'refresh_token', refresh_token: old });
    expect(rotated.status).toBe(200);
    const next = rotated.json.refresh_token as string;
    expect(next).toEqual(expect.any(String));
    expect(next).not.toBe(old);
    const accessToken = rotated.json.access_token as string;
    expect((await userinfo(endpoints, `Bearer ${accessToken}`)).status).toBe(200);

    const reuse = await partner.token({ grant_type: 'refresh_token', refresh_token: old });
    expect([reuse.status, reuse.json.error]).toEqual([400, 'invalid_grant']);

    const afterReuse = await partner.token({ grant_type: 'refresh_token', refresh_token: next });
    expect([afterReuse.status, afterReuse.json.error]).toEqual([400, 'invalid_grant']);
    expect((await userinfo(endpoints, `Bearer ${accessToken}`)).status).toBe(401);
  });

  it('public standard client: a refresh naming a resource it may not have is refused (400 invalid_target) without rotating, so the same refresh token still works', async () => {
    const partner = await StandardPartner.register(server, endpoints, { isPublic: true });
    const tokens = await partner.tokens(await customer(), { scope: 'openid offline_access accounts', extra: { prompt: 'consent', resource: BANK_API } });
    const refreshToken = tokens.refresh_token!;
    for (const resource of ['https://unknown-api.example/', [BANK_API, BANK_API]]) {
      const refused = await partner.token({ grant_type: 'refresh_token', refresh_token: refreshToken, resource });
      expect([refused.status, refused.json.error]).toEqual([400, 'invalid_target']);
    }
    // a rotation spent on the refused request would have made this a reuse, which revokes the grant
    const retried = await partner.token({ grant_type: 'refresh_token', refresh_token: refreshToken, resource: BANK_API });
    expect([retried.status, retried.json.error, isJwt(retried.json.access_token as string)]).toEqual([200, undefined, true]);
    expect(retried.json.refresh_token).not.toBe(refreshToken);
  });

  it('public standard client with DPoP: the refresh token is bound to the key and rotated as well; reusing the old one revokes the grant', async () => {
    const partner = await StandardPartner.register(server, endpoints, { isPublic: true });
    const dpop = await DpopKey.generate();
    const tokens = await partner.tokens(await customer(), { scope: 'openid offline_access accounts', extra: { prompt: 'consent' }, dpop });
    expect(tokens.token_type).toBe('DPoP');
    const old = tokens.refresh_token!;

    const withoutProof = await partner.token({ grant_type: 'refresh_token', refresh_token: old });
    expect(withoutProof.status).toBe(400);
    expect(withoutProof.json.access_token).toBeUndefined();

    const rotated = await partner.token({ grant_type: 'refresh_token', refresh_token: old }, { dpop });
    expect([rotated.status, rotated.json.token_type]).toEqual([200, 'DPoP']);
    const next = rotated.json.refresh_token as string;
    expect(next).toEqual(expect.any(String));
    expect(next).not.toBe(old);

    const reuse = await partner.token({ grant_type: 'refresh_token', refresh_token: old }, { dpop });
    expect([reuse.status, reuse.json.error]).toEqual([400, 'invalid_grant']);
    const afterReuse = await partner.token({ grant_type: 'refresh_token', refresh_token: next }, { dpop });
    expect([afterReuse.status, afterReuse.json.error]).toEqual([400, 'invalid_grant']);
  });
});
