import type { AdapterFactory } from 'oidc-provider';
import { sharesClientRecords } from '../src/clients/client-cache.js';

/** The partner an interaction serves, as its screens name it and bound their forms. */
export interface Partner {
  readonly partnerName: string;
  readonly redirectUris: readonly string[];
}

/**
 * The partner of a client_id, from the client record held in this process (the one frozen copy: no
 * parse, no secret opened), none while it is disabled or gone, as oidc-provider would load it. Its
 * Client.find serialises and hashes the whole metadata on every call (~20 µs a screen) to find
 * its own Client instance, which the screens need nothing of.
 */
export function partnerReader(adapterFactory: AdapterFactory): (clientId: string) => Promise<Partner | undefined> {
  const adapter = adapterFactory('Client');
  return async (clientId) => {
    const record = await (sharesClientRecords(adapter) ? adapter.findShared(clientId) : adapter.find(clientId));
    if (!record || record.disabled) return undefined;
    const name = record.client_name;
    const uris = record.redirect_uris;
    return {
      partnerName: typeof name === 'string' ? name : clientId,
      redirectUris: Array.isArray(uris) ? (uris as string[]) : [],
    };
  };
}
