/**
 * DPoP server nonces (RFC 9449 §8): required of fapi2 clients at PAR and the token endpoint
 * (`dpop.requireNonce`), derived from keys/dpop-nonce.json so that every instance on the same
 * keys accepts every other's nonces.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { basicAuth, createCustomer, issueCode, postForm, REDIRECT_URI, registerClient, seedCustomer } from '../../support/oauth-fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { DpopKey, dpopNonceFor, endpointsOf, FapiPartner, type Endpoints } from './fapi-kit.js';

const NONCE = /^[\w-]{43}$/;

let server: TestServer;
let endpoints: Endpoints;
let partner: FapiPartner;

beforeAll(async () => {
  server = await startTestServer();
  endpoints = await endpointsOf(server);
  partner = await FapiPartner.register(server, endpoints);
});
afterAll(() => server.close());

const codeForm = (code: string, verifier: string) => ({ grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT_URI });
const withoutNonce = { claims: { nonce: undefined } };

describe('a fapi2 client (dpop.requireNonce.fapi2, on by default)', () => {
  it('token endpoint: a proof without a nonce is 400 use_dpop_nonce with a DPoP-Nonce; the request retried with that nonce gets DPoP-bound tokens', async () => {
    const dpop = await DpopKey.generate();
    const { code, verifier } = await partner.authorize(await createCustomer(server), { dpop });

    const refused = await partner.token(codeForm(code!, verifier), { proof: await dpop.proof('POST', endpoints.token, withoutNonce) });
    expect([refused.status, refused.json.error]).toEqual([400, 'use_dpop_nonce']);
    expect(refused.json.access_token).toBeUndefined();
    const nonce = refused.headers.get('dpop-nonce');
    expect(nonce).toMatch(NONCE);

    const retried = await partner.token(codeForm(code!, verifier), { proof: await dpop.proof('POST', endpoints.token, { claims: { nonce } }) });
    expect([retried.status, retried.json.error, retried.json.token_type]).toEqual([200, undefined, 'DPoP']);
  });

  it('PAR: a proof without a nonce is 400 use_dpop_nonce with a DPoP-Nonce; with it the request is pushed', async () => {
    const dpop = await DpopKey.generate();
    const form = { ...partner.authorizationParams().params, ...(await partner.auth()) };
    const refused = await postForm(endpoints.par, form, { dpop: await dpop.proof('POST', endpoints.par, withoutNonce) });
    expect([refused.status, refused.json.error]).toEqual([400, 'use_dpop_nonce']);
    expect(refused.json.request_uri).toBeUndefined();
    const nonce = refused.headers.get('dpop-nonce')!;
    expect(nonce).toMatch(NONCE);

    const pushed = await postForm(endpoints.par, { ...partner.authorizationParams().params, ...(await partner.auth()) }, {
      dpop: await dpop.proof('POST', endpoints.par, { claims: { nonce } }),
    });
    expect([pushed.status, pushed.json.error]).toEqual([201, undefined]);
  });

  it('PAR: a proof used before is 400 invalid_dpop_proof (RFC 9449 §5)', async () => {
    const dpop = await DpopKey.generate();
    const form = () => partner.auth().then((auth) => ({ ...partner.authorizationParams().params, ...auth }));
    const first = await postForm(endpoints.par, await form(), { dpop: await dpop.proof('POST', endpoints.par, withoutNonce) });
    const nonce = first.headers.get('dpop-nonce')!;
    const proof = await dpop.proof('POST', endpoints.par, { claims: { nonce } });
    const pushed = await postForm(endpoints.par, await form(), { dpop: proof });
    expect([pushed.status, pushed.json.error]).toEqual([201, undefined]);
    const replayed = await postForm(endpoints.par, await form(), { dpop: proof });
    expect([replayed.status, replayed.json.error]).toEqual([400, 'invalid_dpop_proof']);
    expect(replayed.json.request_uri).toBeUndefined();
  });

  it('refuses a nonce the server never issued: 400 use_dpop_nonce with one it did', async () => {
    const dpop = await DpopKey.generate();
    const { code, verifier } = await partner.authorize(await createCustomer(server), { dpop });
    const response = await partner.token(codeForm(code!, verifier), { proof: await dpop.proof('POST', endpoints.token, { claims: { nonce: 'A'.repeat(43) } }) });
    expect([response.status, response.json.error]).toEqual([400, 'use_dpop_nonce']);
    expect(response.headers.get('dpop-nonce')).toMatch(NONCE);
  });
});

describe('instances share the nonce secret through keys/', () => {
  let sameKeys: TestServer;
  let otherKeys: TestServer;
  beforeAll(async () => {
    [sameKeys, otherKeys] = await Promise.all([
      startTestServer(),
      startTestServer({ env: { RENKEI_KEYS_DIR: mkdtempSync(join(tmpdir(), 'renkei-other-keys-')) } }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([sameKeys.close(), otherKeys.close()]);
  });

  /** PAR of `partner` (registered on the first instance, stored in the shared Redis) at `target`, with `nonce`. */
  async function pushAt(target: TestServer, nonce: string) {
    const par = (await endpointsOf(target)).par;
    const dpop = await DpopKey.generate();
    return postForm(par, { ...partner.authorizationParams().params, ...(await partner.auth({ claims: { aud: target.issuer } })) }, {
      dpop: await dpop.proof('POST', par, { claims: { nonce } }),
    });
  }

  it('accepts, on a second instance with the same keys, a nonce the first one issued; an instance with other keys asks for its own', async () => {
    await partner.learnDpopNonce();
    const nonce = dpopNonceFor(endpoints.par)!;
    expect(nonce).toMatch(NONCE);

    const accepted = await pushAt(sameKeys, nonce);
    expect([accepted.status, accepted.json.error]).toEqual([201, undefined]);

    const refused = await pushAt(otherKeys, nonce);
    expect([refused.status, refused.json.error]).toEqual([400, 'use_dpop_nonce']);
    expect(refused.headers.get('dpop-nonce')).toMatch(NONCE);
    expect(refused.headers.get('dpop-nonce')).not.toBe(nonce);
  });
});

describe('a standard client (dpop.requireNonce.standard, off by default)', () => {
  it('redeems a code with a DPoP proof that carries no nonce: 200, token_type DPoP', async () => {
    const client = await registerClient(server);
    const { code, verifier } = await issueCode(server, client, await seedCustomer(server));
    const dpop = await DpopKey.generate();
    const response = await postForm(endpoints.token, codeForm(code, verifier), { authorization: basicAuth(client), dpop: await dpop.proof('POST', endpoints.token, withoutNonce) });
    expect([response.status, response.json.error, response.json.token_type]).toEqual([200, undefined, 'DPoP']);
  });
});

describe('dpop.requireNonce configured the other way round (fapi2 false, standard true)', () => {
  let flipped: TestServer;
  let flippedEndpoints: Endpoints;
  beforeAll(async () => {
    flipped = await startTestServer({ config: { dpop: { requireNonce: { fapi2: false, standard: true } } } });
    flippedEndpoints = await endpointsOf(flipped);
  });
  afterAll(() => flipped.close());

  it('pushes a fapi2 request whose proof has no nonce', async () => {
    const fapi = await FapiPartner.register(flipped, flippedEndpoints);
    const response = await postForm(flippedEndpoints.par, { ...fapi.authorizationParams().params, ...(await fapi.auth()) }, {
      dpop: await (await DpopKey.generate()).proof('POST', flippedEndpoints.par, withoutNonce),
    });
    expect([response.status, response.json.error]).toEqual([201, undefined]);
  });

  it('asks a standard client for a nonce: 400 use_dpop_nonce with a DPoP-Nonce', async () => {
    const client = await registerClient(flipped);
    const { code, verifier } = await issueCode(flipped, client, await seedCustomer(flipped));
    const response = await postForm(flippedEndpoints.token, codeForm(code, verifier), {
      authorization: basicAuth(client), dpop: await (await DpopKey.generate()).proof('POST', flippedEndpoints.token, withoutNonce),
    });
    expect([response.status, response.json.error]).toEqual([400, 'use_dpop_nonce']);
    expect(response.headers.get('dpop-nonce')).toMatch(NONCE);
  });
});
