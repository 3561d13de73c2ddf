import { createHmac, hkdfSync } from 'node:crypto';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { DataKey } from '../keys/data-cipher.js';

/**
 * Pairwise `sub` (OIDC Core §8.1) for clients registered with subject_type pairwise: an HMAC of
 * the sector (the host of the redirect URIs) and the customer, so partners cannot correlate a
 * customer across services. The key is derived from the oldest data key, which is never removed.
 */
export function createPairwiseIdentifier(dataKeys: readonly DataKey[]) {
  const oldest = dataKeys[dataKeys.length - 1]!;
  const key = Buffer.from(hkdfSync('sha256', oldest.key, 'renkei', 'pairwise-subject', 32));
  return async (_ctx: KoaContextWithOIDC, accountId: string, client: object) => {
    const sector = (client as { sectorIdentifier?: string }).sectorIdentifier ?? '';
    return createHmac('sha256', key).update(`${sector}|${accountId}`).digest('base64url');
  };
}
