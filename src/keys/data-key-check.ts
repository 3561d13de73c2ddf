import type { Logger } from '../shared/logger.js';
import type { KeyValueStore } from '../storage/key-value-store.js';
import { redisKeys } from '../storage/redis-keys.js';
import type { DataCipher, Sealed } from './data-cipher.js';

const PLAINTEXT = 'renkei data key check';
const BOUND_TO = 'data-key-check';

export type DataKeyStanding = { readonly ok: true } | { readonly ok: false; readonly reason: string };

const MISMATCH = 'the data keys (data-keys.json) cannot open what this store holds: they are not the keys its records were sealed with';

function opens(cipher: DataCipher, held: string): Sealed | undefined {
  try {
    const sealed = JSON.parse(held) as Sealed;
    return cipher.open(sealed, BOUND_TO) === PLAINTEXT ? sealed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether keys/data-keys.json opens what the store holds. The 利用者番号 and client secrets are
 * sealed with the data key: a restore with another key backup, or an instance started with
 * another keys directory, would serve, but no customer could pass the digit challenge and no
 * partner authenticate with its secret. The store keeps a value sealed by the first instance;
 * each instance opens it once (re-sealing it with its current key after a data key rotation) and
 * is not ready (`/readyz` 503) while it cannot.
 */
export function dataKeyCheck(kv: Pick<KeyValueStore, 'setIfAbsentElseGet' | 'set'>, cipher: DataCipher, logger: Logger): () => Promise<DataKeyStanding> {
  let confirmed = false;
  let reported = false;
  return async () => {
    if (confirmed) return { ok: true };
    const mine = cipher.seal(PLAINTEXT, BOUND_TO);
    const held = await kv.setIfAbsentElseGet(redisKeys.dataKeyCheck(), JSON.stringify(mine));
    const sealed = held === undefined ? mine : opens(cipher, held);
    if (!sealed) {
      if (!reported) logger.error({ event: 'data_keys.mismatch' }, MISMATCH);
      reported = true;
      return { ok: false, reason: MISMATCH };
    }
    if (sealed.kid !== mine.kid) await kv.set(redisKeys.dataKeyCheck(), JSON.stringify(mine));
    confirmed = true;
    return { ok: true };
  };
}
