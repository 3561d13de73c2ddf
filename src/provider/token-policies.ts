import { errors, type KoaContextWithOIDC } from 'oidc-provider';
import type { CustomerDirectory } from '../accounts/customer-directory.js';
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

type IntrospectedToken = { clientId?: string | undefined; accountId?: string | undefined };

/**
 * A partner may introspect only tokens issued to it, and only one that authenticated: a public
 * client proves nothing (RFC 7662 §2.1 requires authorization), so it is told `active: false`.
 * The bank's registered resource servers may introspect any token. A token of a customer locked
 * or deleted since is not active (RFC 7662 §2.2), as it is refused at userinfo and refresh:
 * oidc-provider's introspection never asks findAccount.
 */
export function introspectionAllowed(customers: Pick<CustomerDirectory, 'standingOf'>) {
  const customerActive = async (token: IntrospectedToken) =>
    token.accountId === undefined || (await customers.standingOf(token.accountId))?.status === 'active';
  return async (ctx: KoaContextWithOIDC, client: Client, token: IntrospectedToken): Promise<boolean> => {
    if (client.clientAuthMethod === 'none') return false;
    if (renkeiMetadata(client).resource_server === true) {
      // a token of a partner disabled or deleted since is not active (and oidc-provider, which reads
      // that partner next, would fail on it)
      return token.clientId !== undefined && (await ctx.oidc.provider.Client.find(token.clientId)) !== undefined && customerActive(token);
    }
    return token.clientId === client.clientId && customerActive(token);
  };
}

/**
 * RFC 7009 §2.1: a client revokes only tokens issued to it. Another client's token is refused
 * (`invalid_request`); a public client, which proves nothing, is answered as for an unknown token.
 * The same rule as oidc-provider's default, written here so that it is renkei's decision.
 */
export async function revocationAllowed(_ctx: KoaContextWithOIDC, client: Client, token: { clientId?: string | undefined }): Promise<boolean> {
  if (token.clientId === client.clientId) return true;
  if (client.clientAuthMethod === 'none') return false;
  throw new errors.InvalidRequest('client is not authorized to revoke the presented token');
}
