import type { Client } from 'oidc-provider';

/** The metadata renkei adds to oidc-provider's (extraClientMetadata in create-provider.ts). */
export interface RenkeiClientMetadata {
  readonly profile?: 'standard' | 'fapi2' | undefined;
  readonly resource_server?: boolean | undefined;
  readonly grant_management?: boolean | undefined;
}

/**
 * renkei's client metadata as oidc-provider keeps it on the client: extra metadata as own
 * properties under their own names (its standard metadata become camelCase ones, `clientId`). `client.metadata()` rebuilds every member with snake_case names on
 * each call: ~40 µs of CPU, once per token request where it was used to read one flag.
 */
export function renkeiMetadata(client: Client): RenkeiClientMetadata {
  return client as unknown as RenkeiClientMetadata;
}
