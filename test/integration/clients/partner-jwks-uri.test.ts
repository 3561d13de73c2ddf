/**
 * Keys fetched from a partner's jwks_uri pass the same rules as registered keys (SPEC §5). The
 * partner's key set is served by a real HTTP server in this process (loopback http is accepted
 * for jwks_uri in development only).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { constants, generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { MAX_JWKS_BYTES } from '../../../src/clients/partner-jwks-fetch.js';
import { pkcePair, postForm, REDIRECT_URI } from '../../support/oauth-fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

let server: TestServer;
let partnerKeys: Server;
let served: string;
let jwksUri: string;
let fetches = 0;

beforeAll(async () => {
  server = await startTestServer();
  partnerKeys = createServer((_request, response) => {
    fetches += 1;
    response.writeHead(200, { 'content-type': 'application/json' }).end(served);
  });
  partnerKeys.listen(0, '127.0.0.1');
  await once(partnerKeys, 'listening');
  jwksUri = `http://127.0.0.1:${(partnerKeys.address() as AddressInfo).port}/jwks.json`;
});
afterAll(async () => {
  partnerKeys.close();
  await server.close();
});

const serve = (keys: unknown[]) => (served = JSON.stringify({ keys }));
const now = () => Math.floor(Date.now() / 1000);
const claims = (clientId: string) => ({ iss: clientId, sub: clientId, aud: server.issuer, iat: now(), exp: now() + 60, jti: randomUUID() });

async function strongKey(kid: string) {
  const { privateKey, publicKey } = await generateKeyPair('PS256', { extractable: true });
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, use: 'sig' } as JWK };
}

/** An RSA-1024 key pair; jose will not sign with one, so its assertions are signed with node:crypto. */
function weakKey(kid: string) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
  return { kid, privateKey, publicJwk: { ...publicKey.export({ format: 'jwk' }), kid, use: 'sig' } as JWK };
}

const strongAssertion = (clientId: string, key: { kid: string; privateKey: CryptoKey }) =>
  new SignJWT(claims(clientId)).setProtectedHeader({ alg: 'PS256', kid: key.kid }).sign(key.privateKey);

function weakAssertion(clientId: string, key: { kid: string; privateKey: KeyObject }): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${encode({ alg: 'PS256', kid: key.kid })}.${encode(claims(clientId))}`;
  const signature = sign('sha256', Buffer.from(input), { key: key.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
  return `${input}.${signature.toString('base64url')}`;
}

async function registerPartner(): Promise<string> {
  const { record } = await server.app.clients.create({
    client_name: 'jwks_uri partner',
    redirect_uris: [REDIRECT_URI],
    scope: 'openid accounts',
    profile: 'fapi2',
    jwks_uri: jwksUri,
  });
  return record.client_id;
}

/** A pushed authorization request (RFC 9126) authenticated with private_key_jwt. */
function push(clientId: string, assertion: string) {
  return postForm(`${server.issuer}/request`, {
    client_id: clientId,
    response_type: 'code',
    redirect_uri: REDIRECT_URI,
    scope: 'openid accounts',
    state: randomUUID(),
    code_challenge: pkcePair().challenge,
    code_challenge_method: 'S256',
    client_assertion_type: ASSERTION_TYPE,
    client_assertion: assertion,
  });
}

const refusals = (clientId: string) => server.logs.events().filter((e) => e.event === 'client.jwks_key_refused' && e.client_id === clientId);

describe('partner keys fetched from jwks_uri (SPEC §5)', () => {
  it('authenticates with a strong key; a swapped-in RSA-1024 key answers 401 invalid_client and is logged, the strong key still works', async () => {
    const strong = await strongKey('strong');
    const weak = weakKey('weak');
    const leaked = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
    serve([strong.publicJwk]);
    const clientId = await registerPartner();
    const first = await push(clientId, await strongAssertion(clientId, strong));
    expect([first.status, first.json.error]).toEqual([201, undefined]);
    expect(refusals(clientId)).toEqual([]);

    serve([strong.publicJwk, weak.publicJwk, { ...leaked, kid: 'leaked' }]);
    // the provider keeps a fetched set for at least 60 s per client; a changed registration loads it afresh
    await server.app.clients.update(clientId, { client_name: 'jwks_uri partner (keys swapped)' });
    const fetchesBefore = fetches;

    const withWeak = await push(clientId, weakAssertion(clientId, weak));
    expect([withWeak.status, withWeak.json.error]).toEqual([401, 'invalid_client']);
    expect(fetches).toBe(fetchesBefore + 1);
    const withStrong = await push(clientId, await strongAssertion(clientId, strong));
    expect([withStrong.status, withStrong.json.error]).toEqual([201, undefined]);

    const logged = refusals(clientId);
    expect(logged.map((e) => [e.level, e.kid, e.key_index])).toEqual([[40, 'weak', 1], [40, 'leaked', 2]]);
    expect(logged[0]!.reason).toBe('is an RSA key of 1024 bits; at least 2048 are required');
    expect(logged[1]!.reason).toMatch(/^holds private members \(d\)/);
    const text = JSON.stringify(logged);
    for (const material of [weak.publicJwk.n!, leaked.d!, leaked.x!]) expect(text).not.toContain(material);
  });

  it('refuses a set of only weak keys: nothing authenticates', async () => {
    const weak = weakKey('only-weak');
    serve([weak.publicJwk, { kty: 'oct', k: 'c2hhcmVkLXNlY3JldA', kid: 'shared' }]);
    const clientId = await registerPartner();
    const response = await push(clientId, weakAssertion(clientId, weak));
    expect([response.status, response.json.error]).toEqual([401, 'invalid_client']);
    expect(refusals(clientId).map((e) => e.kid)).toEqual(['only-weak', 'shared']);
  });

  it('logs a set of many bad keys by its first ten and a count', async () => {
    const strong = await strongKey('among-many');
    serve([...Array.from({ length: 12 }, (_, i) => ({ kty: 'oct', k: 'AAAA', kid: `sym-${i}` })), strong.publicJwk]);
    const clientId = await registerPartner();
    const response = await push(clientId, await strongAssertion(clientId, strong));
    expect([response.status, response.json.error]).toEqual([201, undefined]);
    const logged = refusals(clientId);
    expect(logged.map((e) => e.kid ?? `+${e.more as number}`)).toEqual([...Array.from({ length: 10 }, (_, i) => `sym-${i}`), '+2']);
  });

  it('refuses an oversized key set with 401 invalid_client and a warning', async () => {
    const strong = await strongKey('big');
    served = JSON.stringify({ keys: [strong.publicJwk], padding: 'x'.repeat(MAX_JWKS_BYTES) });
    const clientId = await registerPartner();
    const response = await push(clientId, await strongAssertion(clientId, strong));
    expect([response.status, response.json.error]).toEqual([401, 'invalid_client']);
    expect(server.logs.events().find((e) => e.event === 'client.jwks_refused' && e.client_id === clientId)).toMatchObject({ reason: expect.stringMatching(/larger than/) });
  });
});
