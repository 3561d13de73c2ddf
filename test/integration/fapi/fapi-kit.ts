/**
 * Helpers shared by the FAPI 2.0 tests in this folder (black-box: HTTP against a real server on
 * the run's Redis). Not a test file itself.
 *
 * Client assertions, DPoP proofs and request objects are built by hand with jose so that each
 * test can break exactly one thing in them.
 */
import { expect } from '@jest/globals';
import { createHash, randomUUID } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import { Browserless } from '../../support/browserless.js';
import { walkScreens, type Landing } from '../../support/journey.js';
import { basicAuth, pkcePair, postForm, REDIRECT_URI, type TestCustomer } from '../../support/oauth-fixtures.js';
import type { TestServer } from '../../support/test-server.js';

export const BANK_API = 'https://api.example-shinkumi.jp/';
export const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export type Alg = 'ES256' | 'PS256' | 'EdDSA' | 'RS256';

export const now = () => Math.floor(Date.now() / 1000);
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
export const ath = (accessToken: string) => createHash('sha256').update(accessToken).digest('base64url');

export interface Endpoints {
  readonly issuer: string;
  readonly authorization: string;
  readonly par: string;
  readonly token: string;
  readonly userinfo: string;
  readonly introspection: string;
  readonly jwks: string;
}

export async function endpointsOf(server: TestServer): Promise<Endpoints> {
  const response = await fetch(`${server.issuer}/.well-known/openid-configuration`);
  expect(response.status).toBe(200);
  const d = (await response.json()) as Record<string, string>;
  return {
    issuer: d.issuer!,
    authorization: d.authorization_endpoint!,
    par: d.pushed_authorization_request_endpoint!,
    token: d.token_endpoint!,
    userinfo: d.userinfo_endpoint!,
    introspection: d.introspection_endpoint!,
    jwks: d.jwks_uri!,
  };
}

/** A key pair of the given algorithm, the public half as a JWK. */
export async function keyPair(alg: Exclude<Alg, 'RS256'>, kid = `k-${randomUUID().slice(0, 8)}`) {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, use: 'sig' };
  return { privateKey, publicKey, publicJwk, kid };
}

/**
 * DPoP server nonces (RFC 9449 §8) as a real client keeps them: the last `DPoP-Nonce` each origin
 * sent, put in every later proof for that origin (openid-client / oauth4webapi do the same).
 */
const dpopNonces = new Map<string, string>();

export function rememberDpopNonce(url: string, headers: Headers): void {
  const nonce = headers.get('dpop-nonce');
  if (nonce) dpopNonces.set(new URL(url).origin, nonce);
}

export function dpopNonceFor(url: string): string | undefined {
  return dpopNonces.get(new URL(url).origin);
}

/** RFC 9449 §8: the server wants a (fresh) nonce in the proof; the client retries once with it. */
export function asksForDpopNonce(response: { status: number; json: Record<string, unknown> }): boolean {
  return response.status === 400 && response.json.error === 'use_dpop_nonce';
}

/** A DPoP key (RFC 9449) that signs proofs; each field of a proof can be overridden. */
export class DpopKey {
  private constructor(
    readonly privateKey: CryptoKey,
    readonly publicJwk: JWK,
    readonly alg: Alg,
  ) {}

  static async generate(alg: Exclude<Alg, 'RS256'> = 'ES256'): Promise<DpopKey> {
    const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
    return new DpopKey(privateKey, await exportJWK(publicKey), alg);
  }

  thumbprint(): Promise<string> {
    return calculateJwkThumbprint(this.publicJwk);
  }

  /**
   * A proof for `htm htu` carrying the nonce last received from that origin; `accessToken` adds
   * ath; `claims` overrides or (undefined) removes members.
   */
  proof(htm: string, htu: string, { accessToken, claims = {}, typ = 'dpop+jwt' }: { accessToken?: string; claims?: Record<string, unknown>; typ?: string } = {}): Promise<string> {
    const nonce = dpopNonceFor(htu);
    const payload: Record<string, unknown> = {
      htm, htu, iat: now(), jti: randomUUID(), ...(accessToken ? { ath: ath(accessToken) } : {}), ...(nonce ? { nonce } : {}),
    };
    for (const [name, value] of Object.entries(claims)) {
      if (value === undefined) delete payload[name];
      else payload[name] = value;
    }
    return new SignJWT(payload as JWTPayload).setProtectedHeader({ alg: this.alg, typ, jwk: this.publicJwk }).sign(this.privateKey);
  }
}

export interface AssertionOptions {
  /** claims to override, or (undefined) to remove */
  readonly claims?: Record<string, unknown>;
  readonly alg?: Alg;
  readonly key?: CryptoKey;
  readonly kid?: string;
}

/** A partner registered with profile fapi2 and a key of its own (private_key_jwt). */
export class FapiPartner {
  private constructor(
    readonly server: TestServer,
    readonly endpoints: Endpoints,
    readonly clientId: string,
    readonly alg: Alg,
    readonly privateKey: CryptoKey,
    readonly kid: string,
    readonly record: Record<string, unknown>,
  ) {}

  static async register(
    server: TestServer,
    endpoints: Endpoints,
    { alg = 'ES256', metadata = {} }: { alg?: Exclude<Alg, 'RS256'>; metadata?: Record<string, unknown> } = {},
  ): Promise<FapiPartner> {
    const { privateKey, publicJwk, kid } = await keyPair(alg);
    const { record } = await server.app.clients.create({
      client_name: 'FAPI 2.0 partner',
      redirect_uris: [REDIRECT_URI],
      scope: 'openid offline_access accounts transactions',
      profile: 'fapi2',
      jwks: { keys: [publicJwk as Record<string, unknown>] },
      ...metadata,
    });
    return new FapiPartner(server, endpoints, record.client_id, alg, privateKey, kid, record as unknown as Record<string, unknown>);
  }

  /** A private_key_jwt client assertion (RFC 7523): iss = sub = client_id, aud = the issuer. */
  assertion({ claims = {}, alg = this.alg, key = this.privateKey, kid = this.kid }: AssertionOptions = {}): Promise<string> {
    const iat = now();
    const payload: Record<string, unknown> = { iss: this.clientId, sub: this.clientId, aud: this.endpoints.issuer, iat, exp: iat + 60, jti: randomUUID() };
    for (const [name, value] of Object.entries(claims)) {
      if (value === undefined) delete payload[name];
      else payload[name] = value;
    }
    return new SignJWT(payload as JWTPayload).setProtectedHeader({ alg, kid }).sign(key);
  }

  async auth(options: AssertionOptions = {}): Promise<Record<string, string>> {
    return { client_id: this.clientId, client_assertion_type: ASSERTION_TYPE, client_assertion: await this.assertion(options) };
  }

  /** A request object (JAR, RFC 9101) as FAPI 2.0 wants it: iss, aud, exp, nbf, client_id and the parameters. */
  requestObject(
    params: Record<string, string>,
    { claims = {}, alg = this.alg, key = this.privateKey, kid = this.kid }: AssertionOptions = {},
  ): Promise<string> {
    const t = now();
    const payload: Record<string, unknown> = { iss: this.clientId, aud: this.endpoints.issuer, iat: t, nbf: t, exp: t + 300, jti: randomUUID(), client_id: this.clientId, ...params };
    for (const [name, value] of Object.entries(claims)) {
      if (value === undefined) delete payload[name];
      else payload[name] = value;
    }
    return new SignJWT(payload as JWTPayload).setProtectedHeader({ alg, kid, typ: 'oauth-authz-req+jwt' }).sign(key);
  }

  /** The authorization parameters of a good request (PKCE S256, state); `extra` overrides or (undefined) removes. */
  authorizationParams(extra: Record<string, string | undefined> = {}) {
    const { verifier, challenge } = pkcePair();
    const state = `state-${randomUUID()}`;
    const params: Record<string, string> = {
      client_id: this.clientId,
      response_type: 'code',
      redirect_uri: REDIRECT_URI,
      scope: 'openid accounts',
      state,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    };
    for (const [name, value] of Object.entries(extra)) {
      if (value === undefined) delete params[name];
      else params[name] = value;
    }
    return { params, verifier, state };
  }

  /**
   * POSTs with a DPoP proof made by `dpop` and, when the server asks for a nonce (use_dpop_nonce),
   * once more with a fresh assertion and a proof carrying it, as real clients do. A `proof` made
   * earlier is sent as it is, once.
   */
  private async postWithDpop(url: string, form: Record<string, string>, { dpop, proof, auth }: { dpop?: DpopKey; proof?: string; auth?: Record<string, string> }) {
    const send = async () => {
      const dpopProof = proof ?? (dpop ? await dpop.proof('POST', url) : undefined);
      const response = await postForm(url, { ...form, ...(auth ?? (await this.auth())) }, dpopProof ? { dpop: dpopProof } : {});
      rememberDpopNonce(url, response.headers);
      return response;
    };
    // a given assertion cannot be sent twice (its jti is spent): learn the nonce before sending it
    if (dpop && !proof && auth && !dpopNonceFor(url)) await this.learnDpopNonce();
    const first = await send();
    return dpop && !proof && !auth && asksForDpopNonce(first) ? send() : first;
  }

  /** A throwaway pushed request with a DPoP proof: the server's answer carries its current nonce. */
  async learnDpopNonce(): Promise<void> {
    const proof = await (await DpopKey.generate()).proof('POST', this.endpoints.par);
    const response = await postForm(this.endpoints.par, { ...this.authorizationParams().params, ...(await this.auth()) }, { dpop: proof });
    rememberDpopNonce(this.endpoints.par, response.headers);
  }

  /** POSTs to the PAR endpoint (RFC 9126) with a client assertion and, when given, a DPoP proof. */
  push(form: Record<string, string>, { dpop, auth }: { dpop?: DpopKey; auth?: Record<string, string> } = {}) {
    return this.postWithDpop(this.endpoints.par, form, { ...(dpop ? { dpop } : {}), ...(auth ? { auth } : {}) });
  }

  /** POSTs to the token endpoint with a client assertion and, when given, a DPoP proof (or a proof made earlier). */
  token(form: Record<string, string>, { dpop, proof, auth }: { dpop?: DpopKey; proof?: string; auth?: Record<string, string> } = {}) {
    return this.postWithDpop(this.endpoints.token, form, { ...(dpop ? { dpop } : {}), ...(proof ? { proof } : {}), ...(auth ? { auth } : {}) });
  }

  async introspect(token: string) {
    return postForm(this.endpoints.introspection, { token, ...(await this.auth()) });
  }

  /** PAR, then the customer through the real screens; the callback the partner receives. */
  async authorize(
    customer: TestCustomer,
    { extra = {}, dpop, requestObject = false }: { extra?: Record<string, string | undefined>; dpop?: DpopKey; requestObject?: boolean } = {},
  ): Promise<Authorized> {
    const { params, verifier, state } = this.authorizationParams(extra);
    const form = requestObject ? { client_id: this.clientId, request: await this.requestObject(params) } : params;
    const pushed = await this.push(form, dpop ? { dpop } : {});
    expect([pushed.status, pushed.json.error, pushed.json.error_description]).toEqual([201, undefined, undefined]);
    const requestUri = pushed.json.request_uri as string;
    const browser = new Browserless(this.server.issuer);
    const query = new URLSearchParams({ client_id: this.clientId, request_uri: requestUri });
    const landing = await browser.follow(await browser.get(`${this.endpoints.authorization}?${query}`));
    const { end } = await walkScreens(browser, landing, customer);
    return { ...callbackOf(end), verifier, state, requestUri, browser };
  }

  /** Authorizes and redeems the code with `dpop`; the token response. */
  async tokens(customer: TestCustomer, dpop: DpopKey, extra: Record<string, string | undefined> = {}) {
    const { code, verifier } = await this.authorize(customer, { extra, dpop });
    const response = await this.token({ grant_type: 'authorization_code', code: code!, code_verifier: verifier, redirect_uri: REDIRECT_URI }, { dpop });
    expect([response.status, response.json.error, response.json.error_description]).toEqual([200, undefined, undefined]);
    return response.json as { access_token: string; refresh_token?: string; id_token: string; token_type: string; scope: string };
  }
}

export interface Callback {
  readonly status: number;
  readonly url: URL;
  readonly params: URLSearchParams;
  readonly code: string | null;
}

export interface Authorized extends Callback {
  readonly verifier: string;
  readonly state: string;
  readonly requestUri: string;
  readonly browser: Browserless;
}

/** Where a journey ended, as the partner sees it. */
export function callbackOf(end: Landing): Callback {
  const url = new URL(end.url);
  return { status: end.response.status, url, params: url.searchParams, code: url.searchParams.get('code') };
}

/** GET userinfo with an Authorization header (and DPoP proof when given). */
export async function userinfo(endpoints: Endpoints, authorization: string, dpopProof?: string) {
  const response = await fetch(endpoints.userinfo, { headers: { authorization, ...(dpopProof ? { dpop: dpopProof } : {}) } });
  rememberDpopNonce(endpoints.userinfo, response.headers);
  const text = await response.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // not JSON
  }
  return { status: response.status, json, wwwAuthenticate: response.headers.get('www-authenticate') ?? '', dpopNonce: response.headers.get('dpop-nonce') };
}

/** The error="…" of a WWW-Authenticate header (RFC 6750 §3). */
export function challengeError(header: string): string | undefined {
  return /error="([^"]+)"/.exec(header)?.[1];
}

/** A partner registered with profile standard (client_secret_basic, or public with PKCE only). */
export class StandardPartner {
  private constructor(
    readonly server: TestServer,
    readonly endpoints: Endpoints,
    readonly clientId: string,
    readonly clientSecret: string | undefined,
    readonly redirectUri: string,
  ) {}

  static async register(
    server: TestServer,
    endpoints: Endpoints,
    { isPublic = false, redirectUri = REDIRECT_URI, metadata = {} }: { isPublic?: boolean; redirectUri?: string; metadata?: Record<string, unknown> } = {},
  ): Promise<StandardPartner> {
    const { record, clientSecret } = await server.app.clients.create({
      client_name: isPublic ? 'Public partner' : 'Standard partner',
      redirect_uris: [redirectUri],
      scope: 'openid offline_access accounts transactions',
      token_endpoint_auth_method: isPublic ? 'none' : 'client_secret_basic',
      ...metadata,
    });
    return new StandardPartner(server, endpoints, record.client_id, clientSecret, redirectUri);
  }

  private get headers(): Record<string, string> {
    return this.clientSecret ? { authorization: basicAuth({ clientId: this.clientId, clientSecret: this.clientSecret }) } : {};
  }

  private get form(): Record<string, string> {
    return this.clientSecret ? {} : { client_id: this.clientId };
  }

  /** A plain authorization request (no PAR), then the customer through the real screens. */
  async authorize(customer: TestCustomer, { scope = 'openid accounts', extra = {} }: { scope?: string; extra?: Record<string, string> } = {}) {
    const { verifier, challenge } = pkcePair();
    const state = `state-${randomUUID()}`;
    const query = new URLSearchParams({
      client_id: this.clientId, response_type: 'code', redirect_uri: this.redirectUri, scope, state, code_challenge: challenge, code_challenge_method: 'S256', ...extra,
    });
    const browser = new Browserless(this.server.issuer);
    const landing = await browser.follow(await browser.get(`${this.endpoints.authorization}?${query}`));
    const { end } = await walkScreens(browser, landing, customer);
    return { ...callbackOf(end), verifier, state };
  }

  /** POSTs to the token endpoint; with `dpop`, a proof (sent again with the nonce when the server asks for one). */
  async token(form: Record<string, string | readonly string[]>, { dpop }: { dpop?: DpopKey } = {}) {
    const send = async () => {
      const headers: Record<string, string> = { ...this.headers };
      if (dpop) headers.dpop = await dpop.proof('POST', this.endpoints.token);
      const response = await postForm(this.endpoints.token, { ...form, ...this.form }, headers);
      rememberDpopNonce(this.endpoints.token, response.headers);
      return response;
    };
    const first = await send();
    return dpop && asksForDpopNonce(first) ? send() : first;
  }

  async tokens(customer: TestCustomer, options: { scope?: string; extra?: Record<string, string>; dpop?: DpopKey } = {}) {
    const { code, verifier, url } = await this.authorize(customer, options);
    expect(`${url.origin}${url.pathname}`).toBe(this.redirectUri);
    expect(code).toEqual(expect.any(String));
    const exchange = { grant_type: 'authorization_code', code: code!, code_verifier: verifier, redirect_uri: this.redirectUri };
    const response = await this.token(exchange, options.dpop ? { dpop: options.dpop } : {});
    expect([response.status, response.json.error, response.json.error_description]).toEqual([200, undefined, undefined]);
    return response.json as { access_token: string; refresh_token?: string; id_token: string; token_type: string; scope: string };
  }

  introspect(token: string) {
    return postForm(this.endpoints.introspection, { token, ...this.form }, this.headers);
  }
}
