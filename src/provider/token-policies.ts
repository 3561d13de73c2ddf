import type { KoaContextWithOIDC } from 'oidc-provider';
import { renkeiMetadata } from './client-metadata.js';

type Client = NonNullable<KoaContextWithOIDC['oidc']['client']>;

/** Refresh tokens only for `offline_access`, and only for clients allowed the refresh_token grant. */
export async function issueRefreshToken(_ctx: KoaContextWithOIDC, client: Client, code: { scopes: Set<string> }): Promise<boolean> {
  return client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access');
}

/** Rotate for every public client, its refresh token DPoP-bound or not; never for confidential ones. */
export function rotateRefreshToken(ctx: KoaContextWithOIDC): boolean {
  const { RefreshToken: refreshToken, Client: client } = ctx.oidc.entities;
  if (!refreshToken || !client) return false;
  return client.clientAuthMethod === 'none';
}

/**
 * A partner may introspect only tokens issued to it, and only one that authenticated: a public
 * client proves nothing (RFC 7662 §2.1 requires authorization), so it is told `active: false`.
 * The bank's registered resource servers may introspect any token.
 */
export async function introspectionAllowed(ctx: KoaContextWithOIDC, client: Client, token: { clientId?: string | undefined }): Promise<boolean> {
  if (client.clientAuthMethod === 'none') return false;
  if (renkeiMetadata(client).resource_server === true) {
    // a token of a partner disabled or deleted since is not active (and oidc-provider, which reads
    // that partner next, would fail on it)
    return token.clientId !== undefined && (await ctx.oidc.provider.Client.find(token.clientId)) !== undefined;
  }
  return token.clientId === client.clientId;
}
