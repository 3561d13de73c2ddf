import { createCipheriv, createDecipheriv, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';

/** AES-256-GCM data keys from keys/data-keys.json: the first encrypts, all decrypt. Never stored in Redis. */
export interface DataKey {
  readonly kid: string;
  readonly key: Buffer;
}

export interface Sealed {
  readonly kid: string;
  readonly iv: string;
  readonly tag: string;
  readonly ciphertext: string;
}

/**
 * Encrypts small secrets at rest (利用者番号, client secrets), bound by additional data to the
 * record they belong to, so that a ciphertext cannot be moved to another record.
 */
export class DataCipher {
  /** made once: a key given as bytes is made into a KeyObject on every cipher otherwise (~20 µs) */
  private readonly keys: readonly { readonly kid: string; readonly key: KeyObject }[];

  constructor(dataKeys: readonly DataKey[]) {
    if (dataKeys.length === 0) throw new TypeError('at least one data key is required');
    this.keys = dataKeys.map(({ kid, key }) => ({ kid, key: createSecretKey(key) }));
  }

  seal(plaintext: string, boundTo: string): Sealed {
    const { kid, key } = this.keys[0]!;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(boundTo, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return { kid, iv: iv.toString('base64url'), tag: cipher.getAuthTag().toString('base64url'), ciphertext: ciphertext.toString('base64url') };
  }

  open(sealed: Sealed, boundTo: string): string {
    const dataKey = this.keys.find((k) => k.kid === sealed.kid);
    if (!dataKey) throw new Error(`data key ${sealed.kid} is not available`);
    const decipher = createDecipheriv('aes-256-gcm', dataKey.key, Buffer.from(sealed.iv, 'base64url'));
    decipher.setAAD(Buffer.from(boundTo, 'utf8'));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  }
}
