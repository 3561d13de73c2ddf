/**
 * FAPI 2.0 Security Profile, negative cases, modelled on the OpenID conformance suite's
 * fapi2-security-profile test plan: one `it` per rule, each asserting the exact HTTP status and
 * OAuth error code. Each table also has a positive row, so a helper that built broken requests
 * by accident could not make the negative rows pass.
 *
 * Codes come from walking the real screens after PAR (with a DPoP proof, so they are bound to
 * the DPoP key, dpop_jkt); client assertions, DPoP proofs and request objects are made by hand.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { exportJWK, importJWK, UnsecuredJWT, type CryptoKey } from 'jose';
import { Browserless } from '../../support/browserless.js';
import { walkScreens } from '../../support/journey.js';
import { basicAuth, createCustomer, issueCode, postForm, REDIRECT_URI, type TestCustomer } from '../../support/oauth-fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { returnForm } from '../journey/no-dead-ends-kit.js';
import {
  ath, callbackOf, challengeError, DpopKey, endpointsOf, FapiPartner, keyPair, now, sleep, StandardPartner, userinfo, type Endpoints,
} from './fapi-kit.js';

let server: TestServer;
let endpoints: Endpoints;
let partner: FapiPartner;

beforeAll(async () => {
  server = await startTestServer();
  endpoints = await endpointsOf(server);
  partner = await FapiPartner.register(server, endpoints);
});
afterAll(() => server.close());

const customer = () => createCustomer(server);
const codeForm = (code: string, verifier: string, redirectUri = REDIRECT_URI) => ({ grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: redirectUri });

/** A fresh DPoP-bound code for `partner`, from PAR through the screens. */
async function boundCode(dpop: DpopKey, who?: TestCustomer) {
  const authorized = await partner.authorize(who ?? (await customer()), { dpop });
  expect(authorized.status).toBe(303);
  expect(authorized.code).toEqual(expect.any(String));
  return { code: authorized.code!, verifier: authorized.verifier };
}

describe('PKCE (FAPI 2.0: S256 required)', () => {
  it('accepts a pushed request with an S256 code_challenge (control)', async () => {
    const { params } = partner.authorizationParams();
    const response = await partner.push(params);
    expect(response.status).toBe(201);
    expect(response.json.request_uri).toMatch(/^urn:ietf:params:oauth:request_uri:/);
  });

  it('refuses a pushed request without code_challenge: 400 invalid_request', async () => {
    const { params } = partner.authorizationParams({ code_challenge: undefined, code_challenge_method: undefined });
    const response = await partner.push(params);
    expect([response.status, response.json.error]).toEqual([400, 'invalid_request']);
  });

  it('refuses a pushed request carrying request_uri (RFC 9126 §2.1): 400 invalid_request, saying so', async () => {
    const { params } = partner.authorizationParams({ request_uri: 'urn:ietf:params:oauth:request_uri:earlier' });
    const response = await partner.push(params);
    expect([response.status, response.json.error]).toEqual([400, 'invalid_request']);
    expect(response.json.error_description).toMatch(/^request_uri must not be sent to the pushed authorization request endpoint/);
  });

  it('refuses a pushed request with code_challenge_method plain: 400 invalid_request', async () => {
    const { params } = partner.authorizationParams({ code_challenge: 'x'.repeat(43), code_challenge_method: 'plain' });
    const response = await partner.push(params);
    expect([response.status, response.json.error]).toEqual([400, 'invalid_request']);
  });
});

describe('authorization codes', () => {
  it('refuses a code redeemed a second time: 400 invalid_grant (and revokes what the first redemption issued)', async () => {
    const dpop = await DpopKey.generate();
    const { code, verifier } = await boundCode(dpop);
    const first = await partner.token(codeForm(code, verifier), { dpop });
    expect([first.status, first.json.token_type]).toEqual([200, 'DPoP']);
    const second = await partner.token(codeForm(code, verifier), { dpop });
    expect([second.status, second.json.error]).toEqual([400, 'invalid_grant']);
    const accessToken = first.json.access_token as string;
    const after = await userinfo(endpoints, `DPoP ${accessToken}`, await dpop.proof('GET', endpoints.userinfo, { accessToken }));
    expect(after.status).toBe(401);
  });

  it('refuses the code at the token endpoint when redirect_uri differs from the one authorized: 400 invalid_grant', async () => {
    const dpop = await DpopKey.generate();
    const { code, verifier } = await boundCode(dpop);
    const response = await partner.token(codeForm(code, verifier, 'https://partner.example/callback2'), { dpop });
    expect([response.status, response.json.error]).toEqual([400, 'invalid_grant']);
  });

  it('refuses a code redeemed with a DPoP key other than the one bound at PAR (dpop_jkt): 400 invalid_grant', async () => {
    const dpop = await DpopKey.generate();
    const { code, verifier } = await boundCode(dpop);
    const response = await partner.token(codeForm(code, verifier), { dpop: await DpopKey.generate() });
    expect([response.status, response.json.error]).toEqual([400, 'invalid_grant']);
  });

  it('leaves the code unspent when the DPoP key was the wrong one: the retry with the bound key gets the tokens, and nothing is revoked', async () => {
    const dpop = await DpopKey.generate();
    const who = await customer();
    // the customer's connection to the partner, from an earlier authorization (the same grant serves the next one)
    const earlier = await boundCode(dpop, who);
    const before = await partner.token(codeForm(earlier.code, earlier.verifier), { dpop });
    expect(before.status).toBe(200);
    const { code, verifier } = await boundCode(dpop, who);
    const wrongKey = await partner.token(codeForm(code, verifier), { dpop: await DpopKey.generate() });
    expect([wrongKey.status, wrongKey.json.error]).toEqual([400, 'invalid_grant']);
    const retried = await partner.token(codeForm(code, verifier), { dpop });
    expect([retried.status, retried.json.token_type]).toEqual([200, 'DPoP']);
    // the customer's connection is whole: the token issued before the mistake still works
    const accessToken = before.json.access_token as string;
    expect((await userinfo(endpoints, `DPoP ${accessToken}`, await dpop.proof('GET', endpoints.userinfo, { accessToken }))).status).toBe(200);
  });

  it('leaves a code bound with dpop_jkt unspent when the token request carried no proof (a standard partner): the retry with the proof gets the tokens', async () => {
    const standard = await StandardPartner.register(server, endpoints);
    const dpop = await DpopKey.generate();
    const { code, verifier } = await standard.authorize(await customer(), { extra: { dpop_jkt: await dpop.thumbprint() } });
    const exchange = codeForm(code!, verifier);
    const withoutProof = await standard.token(exchange);
    expect([withoutProof.status, withoutProof.json.error]).toEqual([400, 'invalid_grant']);
    const withProof = await standard.token(exchange, { dpop });
    expect([withProof.status, withProof.json.token_type]).toEqual([200, 'DPoP']);
  });
});

describe('redirect_uri at PAR', () => {
  it('refuses a redirect_uri that is not registered: 400 invalid_request (of invalid_redirect_uri / invalid_request, oidc-provider answers this one at PAR)', async () => {
    const { params } = partner.authorizationParams({ redirect_uri: 'https://attacker.example/callback' });
    const response = await partner.push(params);
    expect(response.status).toBe(400);
    expect(['invalid_redirect_uri', 'invalid_request']).toContain(response.json.error);
    expect(response.json.error).toBe('invalid_request');
    expect(response.json.request_uri).toBeUndefined();
  });
});

describe('client authentication: private_key_jwt (FAPI 2.0, RFC 7523)', () => {
  // The code is unknown, so a request whose client authentication passes ends in invalid_grant:
  // invalid_client proves the refusal came from the assertion.
  const unknownCode = () => ({ grant_type: 'authorization_code', code: randomUUID(), code_verifier: 'v'.repeat(43), redirect_uri: REDIRECT_URI });
  const attempt = async (auth: Record<string, string>) => partner.token(unknownCode(), { dpop: await DpopKey.generate(), auth });

  it('authenticates a good assertion (control: the unknown code gives invalid_grant)', async () => {
    const response = await attempt(await partner.auth());
    expect([response.status, response.json.error]).toEqual([400, 'invalid_grant']);
  });

  it.each([
    ['another server', 'https://other-bank.example'],
    ['the token endpoint (FAPI 2.0 accepts the issuer only)', 'token endpoint'],
  ])('refuses an assertion whose aud is %s: 401 invalid_client', async (_label, aud) => {
    const response = await attempt(await partner.auth({ claims: { aud: aud === 'token endpoint' ? endpoints.token : aud } }));
    expect([response.status, response.json.error]).toEqual([401, 'invalid_client']);
  });

  it('refuses an expired assertion: 401 invalid_client', async () => {
    const response = await attempt(await partner.auth({ claims: { iat: now() - 300, exp: now() - 120 } }));
    expect([response.status, response.json.error]).toEqual([401, 'invalid_client']);
  });

  it('refuses an assertion whose jti was used before: 401 invalid_client', async () => {
    const auth = await partner.auth();
    const first = await attempt(auth);
    expect([first.status, first.json.error]).toEqual([400, 'invalid_grant']);
    const replay = await attempt(auth);
    expect([replay.status, replay.json.error]).toEqual([401, 'invalid_client']);
  });

  it('refuses an assertion signed RS256 with the fapi2 client\'s own registered RSA key (PS256 accepted): 401 invalid_client', async () => {
    const rsa = await FapiPartner.register(server, endpoints, { alg: 'PS256' });
    const control = await rsa.token(unknownCode(), { dpop: await DpopKey.generate() });
    expect([control.status, control.json.error]).toEqual([400, 'invalid_grant']);
    // the very key the client registered, imported for RSASSA-PKCS1-v1_5
    const sameKeyForRs256 = await importJWK(await exportJWK(rsa.privateKey), 'RS256');
    const response = await rsa.token(unknownCode(), { dpop: await DpopKey.generate(), auth: await rsa.auth({ alg: 'RS256', key: sameKeyForRs256 as CryptoKey }) });
    expect([response.status, response.json.error]).toEqual([401, 'invalid_client']);
  });

  it('refuses an assertion signed by a key the client did not register: 401 invalid_client', async () => {
    const stranger = await keyPair('ES256', partner.kid);
    const response = await attempt(await partner.auth({ key: stranger.privateKey }));
    expect([response.status, response.json.error]).toEqual([401, 'invalid_client']);
  });
});

describe('DPoP proofs at the token endpoint (RFC 9449 §4.3)', () => {
  it('redeems a bound code with a correct proof (control): token_type DPoP', async () => {
    const dpop = await DpopKey.generate();
    const { code, verifier } = await boundCode(dpop);
    const response = await partner.token(codeForm(code, verifier), { proof: await dpop.proof('POST', endpoints.token) });
    expect([response.status, response.json.token_type]).toEqual([200, 'DPoP']);
  });

  it.each([
    ['wrong htm (GET)', { htm: 'GET' }],
    ['wrong htu (the PAR endpoint)', { htu: 'par' }],
  ])('refuses a proof with %s: 400 invalid_dpop_proof', async (_label, broken) => {
    const dpop = await DpopKey.generate();
    const { code, verifier } = await boundCode(dpop);
    const claims: Record<string, unknown> = { ...broken };
    if (claims.htu === 'par') claims.htu = endpoints.par;
    const response = await partner.token(codeForm(code, verifier), { proof: await dpop.proof('POST', endpoints.token, { claims }) });
    expect([response.status, response.json.error]).toEqual([400, 'invalid_dpop_proof']);
    expect(response.json.access_token).toBeUndefined();
  });

  // fapi2 clients must use server nonces (dpop.requireNonce): the nonce, not the proof's iat,
  // shows the proof is fresh (RFC 9449 §4.3 check 11, §8)
  it.each([
    ['10 minutes old', -600],
    ['10 minutes ahead', 600],
  ])('refuses a proof without a nonce whose iat is %s: 400 use_dpop_nonce with a DPoP-Nonce to use', async (_label, offset) => {
    const dpop = await DpopKey.generate();
    const { code, verifier } = await boundCode(dpop);
    const response = await partner.token(codeForm(code, verifier), { proof: await dpop.proof('POST', endpoints.token, { claims: { iat: now() + offset, nonce: undefined } }) });
    expect([response.status, response.json.error]).toEqual([400, 'use_dpop_nonce']);
    expect(response.headers.get('dpop-nonce')).toMatch(/^[\w-]{43}$/);
    expect(response.json.access_token).toBeUndefined();
  });

  it('refuses a token request with no proof at all: 400 invalid_dpop_proof (not invalid_grant), and the code still redeems with one', async () => {
    const dpop = await DpopKey.generate();
    const { code, verifier } = await boundCode(dpop);
    const response = await partner.token(codeForm(code, verifier), {});
    expect([response.status, response.json.error, response.json.error_description]).toEqual([400, 'invalid_dpop_proof', "DPoP proof required: this client's tokens are DPoP-bound"]);
    const redeemed = await partner.token(codeForm(code, verifier), { proof: await dpop.proof('POST', endpoints.token) });
    expect([redeemed.status, redeemed.json.token_type]).toEqual([200, 'DPoP']);
  });

  it('refuses a proof that is not typ dpop+jwt: 400 invalid_dpop_proof', async () => {
    const dpop = await DpopKey.generate();
    const { code, verifier } = await boundCode(dpop);
    const response = await partner.token(codeForm(code, verifier), { proof: await dpop.proof('POST', endpoints.token, { typ: 'JWT' }) });
    expect([response.status, response.json.error]).toEqual([400, 'invalid_dpop_proof']);
  });

  it('refuses a proof whose jti was used before (same key, fresh iat): 400 invalid_dpop_proof', async () => {
    const dpop = await DpopKey.generate();
    const who = await customer();
    const first = await boundCode(dpop, who);
    const second = await boundCode(dpop, who);
    const proof = await dpop.proof('POST', endpoints.token);
    const accepted = await partner.token(codeForm(first.code, first.verifier), { proof });
    expect([accepted.status, accepted.json.token_type]).toEqual([200, 'DPoP']);
    const replayed = await partner.token(codeForm(second.code, second.verifier), { proof });
    // a proof the server refuses is an invalid proof (RFC 9449 §5): invalid_dpop_proof, whatever check refused it
    expect([replayed.status, replayed.json.error]).toEqual([400, 'invalid_dpop_proof']);
    expect(replayed.json.access_token).toBeUndefined();
  });
});

describe('DPoP-bound access tokens at userinfo (RFC 9449 §7)', () => {
  let accessToken: string;
  let dpop: DpopKey;

  beforeAll(async () => {
    dpop = await DpopKey.generate();
    ({ access_token: accessToken } = await partner.tokens(await customer(), dpop));
  });

  it('answers a correct proof (control): 200 with sub', async () => {
    const response = await userinfo(endpoints, `DPoP ${accessToken}`, await dpop.proof('GET', endpoints.userinfo, { accessToken }));
    expect(response.status).toBe(200);
    expect(response.json.sub).toEqual(expect.any(String));
  });

  it.each([
    ['wrong htm (POST for a GET)', { htm: 'POST' }],
    ['wrong htu (the token endpoint)', { htu: 'token' }],
    ['wrong ath (hash of another token)', { ath: 'other' }],
    ['no ath', { ath: undefined }],
  ])('refuses a proof with %s: 401, WWW-Authenticate DPoP error="invalid_dpop_proof"', async (_label, broken) => {
    const claims: Record<string, unknown> = { ...broken };
    if (claims.htu === 'token') claims.htu = endpoints.token;
    if (claims.ath === 'other') claims.ath = ath(`${accessToken}x`);
    const response = await userinfo(endpoints, `DPoP ${accessToken}`, await dpop.proof('GET', endpoints.userinfo, { accessToken, claims }));
    expect(response.status).toBe(401);
    expect(response.wwwAuthenticate).toMatch(/^DPoP /);
    expect(challengeError(response.wwwAuthenticate)).toBe('invalid_dpop_proof');
    expect(response.json.sub).toBeUndefined();
  });

  it('refuses a proof with neither a nonce nor a recent iat (10 minutes old): 401, WWW-Authenticate DPoP error="use_dpop_nonce" and a DPoP-Nonce', async () => {
    const response = await userinfo(endpoints, `DPoP ${accessToken}`, await dpop.proof('GET', endpoints.userinfo, { accessToken, claims: { iat: now() - 600, nonce: undefined } }));
    expect(response.status).toBe(401);
    expect(response.wwwAuthenticate).toMatch(/^DPoP /);
    expect(challengeError(response.wwwAuthenticate)).toBe('use_dpop_nonce');
    expect(response.dpopNonce).toMatch(/^[\w-]{43}$/);
    expect(response.json.sub).toBeUndefined();
  });

  it('refuses a proof whose jti was used before: 401, WWW-Authenticate DPoP error="invalid_dpop_proof"', async () => {
    const proof = await dpop.proof('GET', endpoints.userinfo, { accessToken });
    expect((await userinfo(endpoints, `DPoP ${accessToken}`, proof)).status).toBe(200);
    const replay = await userinfo(endpoints, `DPoP ${accessToken}`, proof);
    // RFC 9449 §7.1: a refused proof is answered with error="invalid_dpop_proof" (the token itself is fine)
    expect(replay.status).toBe(401);
    expect(replay.wwwAuthenticate).toMatch(/^DPoP /);
    expect(challengeError(replay.wwwAuthenticate)).toBe('invalid_dpop_proof');
  });

  it('refuses a correct proof made with another key: 401 invalid_token', async () => {
    const other = await DpopKey.generate();
    const response = await userinfo(endpoints, `DPoP ${accessToken}`, await other.proof('GET', endpoints.userinfo, { accessToken }));
    expect(response.status).toBe(401);
    expect(challengeError(response.wwwAuthenticate)).toBe('invalid_token');
  });

  it('refuses the DPoP-bound token presented as a Bearer token: 401 invalid_token', async () => {
    const response = await userinfo(endpoints, `Bearer ${accessToken}`);
    expect(response.status).toBe(401);
    expect(challengeError(response.wwwAuthenticate)).toBe('invalid_token');
    expect(response.json.sub).toBeUndefined();
  });
});

describe('access tokens in the query string (FAPI 2.0: not accepted)', () => {
  it('refuses /me?access_token=… with a valid Bearer token (the header works): 400 invalid_request', async () => {
    const { record, clientSecret } = await server.app.clients.create({ client_name: 'Query string partner', redirect_uris: [REDIRECT_URI], scope: 'openid accounts' });
    const client = { clientId: record.client_id, clientSecret };
    const { code, verifier } = await issueCode(server, client, (await customer()).sub);
    const issued = await postForm(endpoints.token, codeForm(code, verifier), { authorization: basicAuth(client) });
    expect(issued.status).toBe(200);
    const accessToken = issued.json.access_token as string;
    expect((await userinfo(endpoints, `Bearer ${accessToken}`)).status).toBe(200);

    const response = await fetch(`${endpoints.userinfo}?${new URLSearchParams({ access_token: accessToken })}`);
    const body = (await response.json()) as Record<string, unknown>;
    expect([response.status, body.error]).toEqual([400, 'invalid_request']);
    expect(body.sub).toBeUndefined();
  });

  it('refuses a DPoP-bound token in the query string even with a correct proof: 400 invalid_request', async () => {
    const dpop = await DpopKey.generate();
    const { access_token: accessToken } = await partner.tokens(await customer(), dpop);
    const response = await fetch(`${endpoints.userinfo}?${new URLSearchParams({ access_token: accessToken })}`, {
      headers: { dpop: await dpop.proof('GET', endpoints.userinfo, { accessToken }) },
    });
    const body = (await response.json()) as Record<string, unknown>;
    expect([response.status, body.error]).toEqual([400, 'invalid_request']);
    expect(body.sub).toBeUndefined();
  });
});

describe('request objects pushed to PAR (JAR, RFC 9101; FAPI 2.0 with JAR)', () => {
  const pushObject = async (request: string) => partner.push({ client_id: partner.clientId, request });

  it('accepts a request object signed with the registered key, with exp, nbf and aud (control): 201', async () => {
    const response = await pushObject(await partner.requestObject(partner.authorizationParams().params));
    expect(response.status).toBe(201);
  });

  it('refuses a request object without exp: 400 invalid_request_object', async () => {
    const response = await pushObject(await partner.requestObject(partner.authorizationParams().params, { claims: { exp: undefined } }));
    expect([response.status, response.json.error]).toEqual([400, 'invalid_request_object']);
  });

  it('refuses an expired request object: 400 invalid_request_object', async () => {
    const response = await pushObject(await partner.requestObject(partner.authorizationParams().params, { claims: { nbf: now() - 600, iat: now() - 600, exp: now() - 300 } }));
    expect([response.status, response.json.error]).toEqual([400, 'invalid_request_object']);
  });

  it('refuses an unsigned request object (alg none): 400 invalid_request_object', async () => {
    const t = now();
    const unsigned = new UnsecuredJWT({ ...partner.authorizationParams().params, client_id: partner.clientId })
      .setIssuer(partner.clientId).setAudience(endpoints.issuer).setIssuedAt(t).setNotBefore(t).setExpirationTime(t + 300).encode();
    const response = await pushObject(unsigned);
    expect([response.status, response.json.error]).toEqual([400, 'invalid_request_object']);
  });

  it('refuses a request object signed with a key the client did not register (same alg and kid): 400 invalid_request_object', async () => {
    const stranger = await keyPair('ES256', partner.kid);
    const response = await pushObject(await partner.requestObject(partner.authorizationParams().params, { key: stranger.privateKey }));
    expect([response.status, response.json.error]).toEqual([400, 'invalid_request_object']);
  });

  it('refuses a request object whose aud is not the issuer: 400 invalid_request_object', async () => {
    const response = await pushObject(await partner.requestObject(partner.authorizationParams().params, { claims: { aud: 'https://other-bank.example' } }));
    expect([response.status, response.json.error]).toEqual([400, 'invalid_request_object']);
  });
});

describe('PAR request_uri (RFC 9126: one-time use)', () => {
  it('refuses a request_uri used before, once the flow it started is complete: 400 error page with invalid_request_uri, no redirect, 連携先に戻る to the one registered redirect_uri', async () => {
    const who = await customer();
    const authorized = await partner.authorize(who);
    expect([authorized.status, authorized.params.get('state')]).toEqual([303, authorized.state]);
    expect(authorized.code).toEqual(expect.any(String));

    const browser = new Browserless(server.issuer);
    const query = new URLSearchParams({ client_id: partner.clientId, request_uri: authorized.requestUri });
    const again = await browser.get(`${endpoints.authorization}?${query}`);
    expect(again.status).toBe(400);
    expect(again.headers.get('location')).toBeNull();
    expect(again.headers.get('content-type')).toMatch(/text\/html/);
    const html = await again.text();
    expect(html).toContain('<code>invalid_request_uri</code>');
    // no dead end: the partner is known and registered one redirect_uri, answered with the error and iss (no state is known)
    expect(returnForm(html)).toEqual({ method: 'get', action: REDIRECT_URI, fields: { error: 'invalid_request', iss: endpoints.issuer }, label: '連携先に戻る' });
  });

  it('refuses a request_uri used a second time even by the same browser: no second code', async () => {
    const who = await customer();
    const authorized = await partner.authorize(who);
    expect(authorized.code).toEqual(expect.any(String));
    const query = new URLSearchParams({ client_id: partner.clientId, request_uri: authorized.requestUri });
    const again = await authorized.browser.follow(await authorized.browser.get(`${endpoints.authorization}?${query}`));
    expect(again.response.status).toBe(400);
    expect(await again.response.text()).toContain('<code>invalid_request_uri</code>');
  });
});

describe('a fapi2 client without PAR (FAPI 2.0: PAR required)', () => {
  it('answers a plain authorization request with a redirect carrying error=invalid_request (and iss)', async () => {
    const { params, state } = partner.authorizationParams();
    const response = await fetch(`${endpoints.authorization}?${new URLSearchParams(params)}`, { redirect: 'manual' });
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('state')).toBe(state);
    expect(location.searchParams.get('iss')).toBe(endpoints.issuer);
    expect(location.searchParams.get('code')).toBeNull();
  });
});

describe('lifetimes (server with ttl.authorizationCodeSeconds 2, ttl.pushedAuthorizationRequestSeconds 5)', () => {
  let short: TestServer;
  let shortEndpoints: Endpoints;
  let shortPartner: FapiPartner;

  beforeAll(async () => {
    short = await startTestServer({ config: { ttl: { authorizationCodeSeconds: 2, pushedAuthorizationRequestSeconds: 5 } } });
    shortEndpoints = await endpointsOf(short);
    shortPartner = await FapiPartner.register(short, shortEndpoints);
  });
  afterAll(() => short.close());

  it('refuses a code redeemed after its lifetime (2 s, redeemed after 3 s): 400 invalid_grant; one redeemed at once works', async () => {
    const who = await createCustomer(short);
    const dpop = await DpopKey.generate();
    const stale = await shortPartner.authorize(who, { dpop });
    const issuedAt = Date.now();
    const fresh = await shortPartner.authorize(who, { dpop });
    const control = await shortPartner.token(codeForm(fresh.code!, fresh.verifier), { dpop });
    expect([control.status, control.json.token_type]).toEqual([200, 'DPoP']);
    await sleep(3000 - (Date.now() - issuedAt));
    const response = await shortPartner.token(codeForm(stale.code!, stale.verifier), { dpop });
    expect([response.status, response.json.error]).toEqual([400, 'invalid_grant']);
  });

  it('announces the configured PAR lifetime (expires_in 5) and refuses the request_uri after it (6 s): 400 error page, invalid_request_uri', async () => {
    const { params } = shortPartner.authorizationParams();
    const pushed = await shortPartner.push(params);
    expect(pushed.status).toBe(201);
    await sleep(6000);
    const browser = new Browserless(short.issuer);
    const query = new URLSearchParams({ client_id: shortPartner.clientId, request_uri: pushed.json.request_uri as string });
    const response = await browser.get(`${shortEndpoints.authorization}?${query}`);
    const html = await response.text();
    // one assertion over everything, so a failure shows every part of the answer at once
    expect({
      expires_in: pushed.json.expires_in,
      statusAfter6s: response.status,
      location: response.headers.get('location'),
      errorCode: /<code>(\w+)<\/code>/.exec(html)?.[1],
    }).toEqual({ expires_in: 5, statusAfter6s: 400, location: null, errorCode: 'invalid_request_uri' });
  });

  it('lets the customer through with a request_uri used within its lifetime (control)', async () => {
    const who = await createCustomer(short);
    const { params } = shortPartner.authorizationParams();
    const pushed = await shortPartner.push(params);
    expect(pushed.status).toBe(201);
    const browser = new Browserless(short.issuer);
    const query = new URLSearchParams({ client_id: shortPartner.clientId, request_uri: pushed.json.request_uri as string });
    const landing = await browser.follow(await browser.get(`${shortEndpoints.authorization}?${query}`));
    const { end } = await walkScreens(browser, landing, who);
    expect(callbackOf(end).code).toEqual(expect.any(String));
  });
});
