import { importJWK, SignJWT, type CryptoKey, type KeyObject } from 'jose';
import type { PrivateJwk } from '../keys/key-files.js';
import type { KeySchedule } from '../keys/key-schedule.js';
import type { SetClaims } from './event-types.js';

/** RFC 8417 §2.3: the media type of a SET, in the JOSE header as `typ`. */
export const SET_TYPE = 'secevent+jwt';

/** The key that signs now: RS256 when the issuer has one (what every receiver supports), else the first signing key. */
export function currentSigningKey(schedule: Pick<KeySchedule, 'providerKeys'>): PrivateJwk {
  const signing = schedule.providerKeys.filter((key) => !(key as { key_ops?: string[] }).key_ops?.includes('verify'));
  const chosen = signing.find((key) => key.alg === 'RS256') ?? signing[0];
  if (!chosen) throw new Error('no signing key is in service');
  return chosen;
}

/** Signs SETs with the issuer's current key (imported once per kid). */
export class SetSigner {
  private readonly imported = new Map<string, Promise<CryptoKey | KeyObject | Uint8Array>>();

  constructor(private readonly signingKey: () => PrivateJwk) {}

  async sign(claims: SetClaims): Promise<string> {
    const jwk = this.signingKey();
    let key = this.imported.get(jwk.kid);
    if (!key) this.imported.set(jwk.kid, (key = importJWK(jwk as unknown as Parameters<typeof importJWK>[0], jwk.alg)));
    return new SignJWT({ ...claims })
      .setProtectedHeader({ alg: jwk.alg, kid: jwk.kid, typ: SET_TYPE })
      .sign(await key);
  }
}
