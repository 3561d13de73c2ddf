import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import { keyName, keyRefusalReason, screenPartnerKeys } from '../../../src/clients/partner-keys.js';

const publicJwk = async (alg: 'PS256' | 'ES256' | 'EdDSA') => ({ ...(await exportJWK((await generateKeyPair(alg, { extractable: true })).publicKey)) }) as Record<string, unknown>;
/** A self-signed P-256 certificate (openssl) as x5c's base64 DER, and its key as a public JWK. */
function certifiedKey(): { x5c: string; jwk: Record<string, unknown> } {
  const dir = mkdtempSync(join(tmpdir(), 'renkei-x5c-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-subj', '/CN=partner'], { stdio: 'ignore' });
  const certificate = new X509Certificate(readFileSync(join(dir, 'cert.pem')));
  return { x5c: certificate.raw.toString('base64'), jwk: certificate.publicKey.export({ format: 'jwk' }) as Record<string, unknown> };
}
const rsaJwk = (bits: number) => generateKeyPairSync('rsa', { modulusLength: bits }).publicKey.export({ format: 'jwk' }) as Record<string, unknown>;

describe('partner keys (SPEC §5)', () => {
  it('accepts RSA 2048, EC P-256 and Ed25519 public keys for both profiles', async () => {
    const keys = [await publicJwk('PS256'), { ...(await publicJwk('ES256')), alg: 'ES256' }, { ...(await publicJwk('EdDSA')), alg: 'EdDSA', use: 'sig' }];
    for (const profile of ['fapi2', 'standard'] as const) {
      expect(await screenPartnerKeys(keys, profile)).toEqual({ accepted: keys, refused: [] });
    }
  });

  it('accepts alg RS256 for standard and refuses it for fapi2', async () => {
    const key = { ...rsaJwk(2048), alg: 'RS256' };
    expect(await keyRefusalReason(key, 'standard')).toBeUndefined();
    expect(await keyRefusalReason(key, 'fapi2')).toBe('has alg "RS256", not allowed for profile fapi2 (allowed: PS256, ES256, EdDSA)');
  });

  it.each<[string, () => Promise<Record<string, unknown>> | Record<string, unknown>, RegExp]>([
    ['RSA 1024', () => rsaJwk(1024), /^is an RSA key of 1024 bits; at least 2048 are required$/],
    ['an RSA public exponent of 3', () => ({ ...rsaJwk(2048), e: 'Aw' }), /^has an RSA public exponent that is even or below 65537$/],
    ['P-192 with made-up coordinates', () => ({ kty: 'EC', crv: 'P-192', x: 'AAAA', y: 'BBBB' }), /^has curve "P-192"; only P-256 is accepted/],
    ['P-384', async () => ({ ...(await exportJWK((await generateKeyPair('ES384', { extractable: true })).publicKey)) }), /^has curve "P-384"/],
    ['an off-curve P-256 point', async () => { const key = await publicJwk('ES256'); return { ...key, y: key.x }; }, /^is not a valid P-256 public key/],
    ['X25519', () => ({ kty: 'OKP', crv: 'X25519', x: 'AAAA' }), /^has curve "X25519"; only Ed25519/],
    ['alg none', async () => ({ ...(await publicJwk('ES256')), alg: 'none' }), /alg none/],
    ['a symmetric key', () => ({ kty: 'oct', k: 'c2VjcmV0' }), /symmetric key \(kty oct\)/],
    ['private members', () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }) as Record<string, unknown>, /^holds private members \(d\); jwks must hold public keys only$/],
    ['RSA private members', () => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }) as Record<string, unknown>, /^holds private members \(d, p, q, dp, dq, qi\)/],
    ['an alg that does not fit the key type', async () => ({ ...(await publicJwk('ES256')), alg: 'PS256' }), /alg PS256, which does not fit an EC key/],
    ['an alg outside the list', () => ({ kty: 'AKP', alg: 'ML-DSA-44', pub: 'AAAA' }), /alg "ML-DSA-44", not allowed/],
    ['an unknown key type', () => ({ kty: 'AKP', pub: 'AAAA' }), /^has kty "AKP"; only RSA, EC P-256 and Ed25519/],
    ['a kty that names an Object member', () => ({ kty: 'constructor', alg: 'ES256' }), /^has kty "constructor"/],
    ['a key without kty', () => ({ n: 'AAAA', e: 'AQAB' }), /^has no kty$/],
    ['a key for encryption (use enc)', async () => ({ ...(await publicJwk('ES256')), use: 'enc' }), /^has use "enc"; a partner's signing key has use "sig" or none$/],
    ['key_ops without verify', async () => ({ ...(await publicJwk('ES256')), key_ops: ['encrypt'] }), /^has key_ops without "verify"$/],
    ['a 5000-character kid', async () => ({ ...(await publicJwk('ES256')), kid: 'k'.repeat(5000) }), /^has a kid that is not a string of 1 to 256 characters$/],
    ['a kid that is a number', async () => ({ ...(await publicJwk('ES256')), kid: 7 }), /^has a kid that is not a string/],
    ['an x5c of garbage', async () => ({ ...(await publicJwk('ES256')), x5c: ['not base64!'] }), /^has an x5c that is not a list of base64 certificates$/],
    ['an x5c that is no certificate', async () => ({ ...(await publicJwk('ES256')), x5c: ['AAAA'] }), /^has an x5c whose first certificate cannot be read$/],
    ['an x5c certifying another key', async () => ({ ...(await publicJwk('ES256')), x5c: [certifiedKey().x5c] }), /^has an x5c whose first certificate holds another key$/],
  ])('refuses %s', async (_what, make, reason) => {
    expect(await keyRefusalReason(await make(), 'standard')).toMatch(reason);
  });

  it('accepts an x5c whose certificate holds the key', async () => {
    const { x5c, jwk } = certifiedKey();
    expect(await keyRefusalReason({ ...jwk, x5c: [x5c], use: 'sig' }, 'fapi2')).toBeUndefined();
  });

  it('refuses a second key under a kid already used in the set (RFC 7517 §4.5)', async () => {
    const [first, second] = [{ ...(await publicJwk('ES256')), kid: 'k1' }, { ...(await publicJwk('ES256')), kid: 'k1' }];
    const { accepted, refused } = await screenPartnerKeys([first, second], 'fapi2');
    expect(accepted).toEqual([first]);
    expect(refused).toEqual([{ index: 1, kid: 'k1', reason: 'has the same kid as key 0' }]);
  });

  it('names each refused key by kid, else by index, and keeps the good ones', async () => {
    const good = await publicJwk('ES256');
    const { accepted, refused } = await screenPartnerKeys([{ ...rsaJwk(1024), kid: 'old-rsa' }, good, { kty: 'oct', k: 'AAAA' }, 'not a key'], 'fapi2');
    expect(accepted).toEqual([good]);
    expect(refused.map((r) => [r.index, r.kid, keyName(r)])).toEqual([[0, 'old-rsa', 'key "old-rsa"'], [2, undefined, 'key 2'], [3, undefined, 'key 3']]);
  });
});
