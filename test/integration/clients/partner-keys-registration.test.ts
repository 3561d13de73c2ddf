import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { exportJWK, generateKeyPair } from 'jose';
import { REDIRECT_URI } from '../../support/oauth-fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { expectRefused, renkei, writeJson } from '../cli/cli-kit.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

type Jwk = Record<string, unknown>;
const publicJwk = async (alg: 'PS256' | 'ES256' | 'EdDSA', extra: Jwk = {}): Promise<Jwk> => ({ ...(await exportJWK((await generateKeyPair(alg, { extractable: true })).publicKey)), ...extra });
const rsa1024 = (): Jwk => generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'jwk' }) as Jwk;

async function admin(method: string, path: string, body: unknown) {
  const response = await fetch(`${server.adminUrl}/admin/v1/clients${path}`, {
    method,
    headers: { authorization: `Bearer ${server.adminToken.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as { error?: string; message?: string; details?: { path: string; message: string }[]; client_id?: string } };
}

const partner = (keys: Jwk[], profile: 'fapi2' | 'standard' = 'fapi2') => ({
  client_name: 'Key check partner',
  redirect_uris: [REDIRECT_URI],
  profile,
  token_endpoint_auth_method: 'private_key_jwt',
  jwks: { keys },
});

describe('partner keys at registration (SPEC §5, §6)', () => {
  it.each<[string, () => Promise<Jwk> | Jwk, string]>([
    ['an RSA 1024-bit key', () => ({ ...rsa1024(), kid: 'rsa-1024' }), 'key "rsa-1024" is an RSA key of 1024 bits; at least 2048 are required'],
    ['a P-192 key with made-up coordinates', () => ({ kty: 'EC', crv: 'P-192', x: 'bWFkZS11cA', y: 'Y29vcmRz', kid: 'p192' }), 'key "p192" has curve "P-192"; only P-256 is accepted for kty EC'],
    ['a P-256 point off the curve', async () => { const key = await publicJwk('ES256', { kid: 'off-curve' }); return { ...key, y: key.x }; }, 'key "off-curve" is not a valid P-256 public key'],
    ['alg RS256 on a fapi2 client', () => publicJwk('PS256', { alg: 'RS256', kid: 'rs' }), 'key "rs" has alg "RS256", not allowed for profile fapi2 (allowed: PS256, ES256, EdDSA)'],
    ['alg none', () => publicJwk('ES256', { alg: 'none', kid: 'nothing' }), 'key "nothing" has alg none, which is never accepted'],
    ['a symmetric key (kty oct)', () => ({ kty: 'oct', k: 'c3ltbWV0cmljLXNlY3JldC1rZXktMzItYnl0ZXMhIQ' }), 'key 0 is a symmetric key (kty oct)'],
    ['private members', () => ({ ...(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }) as Jwk), kid: 'leaked' }), 'key "leaked" holds private members (d); jwks must hold public keys only'],
  ])('POST refuses %s with 400, naming the key and the reason', async (_what, make, message) => {
    const { status, json } = await admin('POST', '', partner([await make()]));
    expect(status).toBe(400);
    expect(json.error).toBe('validation_failed');
    expect(json.message).toContain(message);
    expect(json.details).toEqual([{ path: '/jwks/keys/0', message: expect.stringContaining(message) }]);
  });

  it('names every refused key of a set by kid, else by index, and registers nothing', async () => {
    const good = await publicJwk('ES256', { kid: 'good' });
    const { status, json } = await admin('POST', '', { ...partner([good, { ...rsa1024(), kid: 'weak' }, { kty: 'oct', k: 'AAAA' }]), client_id: 'key-set-refused' });
    expect(status).toBe(400);
    expect(json.details!.map((d) => d.path)).toEqual(['/jwks/keys/1', '/jwks/keys/2']);
    expect(json.details![0]!.message).toMatch(/^key "weak" /);
    expect(json.details![1]!.message).toMatch(/^key 2 /);
    expect(await server.app.clients.get('key-set-refused')).toBeUndefined();
  });

  it('accepts RSA 2048, P-256 and Ed25519 keys for fapi2, and alg RS256 for standard', async () => {
    const keys = [await publicJwk('PS256', { kid: 'r', alg: 'PS256' }), await publicJwk('ES256', { kid: 'e' }), await publicJwk('EdDSA', { kid: 'o', use: 'sig' })];
    expect((await admin('POST', '', partner(keys))).status).toBe(201);
    expect((await admin('POST', '', partner([await publicJwk('PS256', { alg: 'RS256' })], 'standard'))).status).toBe(201);
  });

  it('PUT (client apply) and PATCH refuse weak keys too', async () => {
    const put = await admin('PUT', '/applied-weak', partner([{ ...rsa1024(), kid: 'apply-weak' }]));
    expect([put.status, put.json.error]).toEqual([400, 'validation_failed']);
    expect(put.json.message).toContain('key "apply-weak" is an RSA key of 1024 bits');
    const created = await admin('POST', '', partner([await publicJwk('ES256')]));
    expect(created.status).toBe(201);
    const patched = await admin('PATCH', `/${created.json.client_id}`, { jwks: { keys: [await publicJwk('ES256', { alg: 'none', kid: 'patched' })] } });
    expect([patched.status, patched.json.error]).toEqual([400, 'validation_failed']);
    expect(patched.json.message).toContain('key "patched" has alg none');
    // a standard client whose RS256 key is fine today cannot move to fapi2 with it
    const standard = await admin('POST', '', partner([await publicJwk('PS256', { alg: 'RS256', kid: 'rs' })], 'standard'));
    const moved = await admin('PATCH', `/${standard.json.client_id}`, { profile: 'fapi2' });
    expect(moved.status).toBe(400);
    expect(moved.json.message).toContain('key "rs" has alg "RS256", not allowed for profile fapi2');
  });

  it('renkei client create --jwks-file refuses a weak key with exit 1 and the reason', async () => {
    const file = writeJson({ keys: [{ ...rsa1024(), kid: 'cli-weak' }] });
    const result = await renkei(server, ['client', 'create', '--name', 'Weak', '--redirect-uri', REDIRECT_URI, '--profile', 'fapi2', '--auth-method', 'private_key_jwt', '--jwks-file', file]);
    expectRefused(result, /validation_failed: .*key "cli-weak" is an RSA key of 1024 bits; at least 2048 are required/);
  });
});
