import { describe, expect, it } from '@jest/globals';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { generateSigningKey } from '../../../src/keys/generate-keys.js';
import { currentSigningKey, SetSigner } from '../../../src/events/set-signer.js';

describe('SET signing (RFC 8417 §2.3)', () => {
  it('signs with the current RS256 key, typ secevent+jwt, and the claims unchanged', async () => {
    const [ps, rs, retiring] = await Promise.all([generateSigningKey('PS256'), generateSigningKey('RS256'), generateSigningKey('RS256')]);
    const key = currentSigningKey({ providerKeys: [ps, { ...retiring, key_ops: ['verify'] } as typeof retiring, rs] });
    expect(key.kid).toBe(rs.kid);
    const claims = { iss: 'https://bank.example', aud: 'c-1', iat: 1_800_000_000, jti: 'j-1', sub_id: { format: 'opaque' as const, id: 'c-1' }, events: { 'urn:x': {} } };
    const set = await new SetSigner(() => key).sign(claims);
    expect(decodeProtectedHeader(set)).toEqual({ alg: 'RS256', kid: rs.kid, typ: 'secevent+jwt' });
    const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = rs as unknown as Record<string, string>;
    const { payload } = await jwtVerify(set, createLocalJWKSet({ keys: [publicJwk] }), { typ: 'secevent+jwt', currentDate: new Date(1_800_000_000_000) });
    expect(payload).toEqual(claims);
  });

  it('falls back to the first signing key when there is no RS256 one', async () => {
    const es = await generateSigningKey('ES256');
    expect(currentSigningKey({ providerKeys: [es] }).kid).toBe(es.kid);
    expect(() => currentSigningKey({ providerKeys: [{ ...es, key_ops: ['verify'] } as typeof es] })).toThrow('no signing key');
  });
});
