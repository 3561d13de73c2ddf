import type { KoaContextWithOIDC } from 'oidc-provider';
import type { ClientRecord } from '../clients/client-record.js';
import type { DataKey } from '../keys/data-cipher.js';
import { createPairwiseIdentifier } from '../provider/pairwise-subject.js';

/**
 * The `sub` a partner knows the customer by: the pairwise value for a pairwise client (its sector
 * is the host of its first redirect URI, as oidc-provider derives it without sector_identifier_uri).
 */
export function createPartnerSubject(dataKeys: readonly DataKey[]) {
  const pairwise = createPairwiseIdentifier(dataKeys);
  return async (sub: string, client: Pick<ClientRecord, 'subject_type' | 'redirect_uris'>): Promise<string> => {
    if (client.subject_type !== 'pairwise') return sub;
    const sectorIdentifier = new URL(client.redirect_uris[0]!).host;
    return pairwise(undefined as unknown as KoaContextWithOIDC, sub, { sectorIdentifier });
  };
}
