import { errors, type KoaContextWithOIDC, type ResourceServer } from 'oidc-provider';
import type { RenkeiConfig } from '../settings/types.js';
import { accountInformationOf, parsedAuthorizationDetails } from './rar-account-information.js';

/**
 * The bank's APIs as resource servers (RFC 8707). Tokens for them are JWT access tokens
 * (RFC 9068: typ at+jwt, aud, scope, client_id, cnf when bound) unless configured opaque; a
 * resource indicator not in the catalogue is refused with invalid_target.
 */
export function getResourceServerInfo(resources: RenkeiConfig['resources']) {
  return async (_ctx: KoaContextWithOIDC, indicator: string): Promise<ResourceServer> => {
    const resource = resources[indicator];
    if (!resource) throw new errors.InvalidTarget(`unknown resource indicator ${indicator}`);
    return {
      scope: resource.scope,
      audience: indicator,
      accessTokenTTL: resource.accessTokenSeconds,
      accessTokenFormat: resource.accessTokenFormat,
      ...(resource.accessTokenFormat === 'jwt' ? { jwt: { sign: { alg: 'PS256' as const } } } : {}),
    };
  };
}

/**
 * RFC 9396 needs a resource for authorization_details: a request that names none gets the
 * detail's first location, else the bank API whose scopes include account information.
 */
export function defaultResource(resources: RenkeiConfig['resources']) {
  const bankApi = Object.entries(resources).find(([, resource]) => resource.scope.split(' ').includes('accounts'))?.[0];
  return async (ctx: KoaContextWithOIDC, _client: unknown, oneOf?: readonly string[]): Promise<string | readonly string[] | undefined> => {
    if (oneOf) return oneOf;
    const details = parsedAuthorizationDetails(ctx.oidc.params?.authorization_details);
    return details ? (accountInformationOf(details)?.locations?.[0] ?? bankApi) : undefined;
  };
}

/**
 * RFC 8707 leaves a token request without `resource` to the server: it gets the resource the
 * grant holds, unless a refresh asks (`scope`) for none of that resource's scopes; then, with
 * `openid` asked, oidc-provider issues an opaque token for renkei itself (userinfo and the grant
 * management endpoint), which a partner whose authorization_details made its tokens the bank
 * API's could not get otherwise.
 */
export function useGrantedResource(resources: RenkeiConfig['resources']) {
  return async (ctx: KoaContextWithOIDC, model: { resource?: string | string[] }): Promise<boolean> => {
    const params = ctx.oidc.params;
    if (ctx.oidc.route !== 'token' || params?.grant_type !== 'refresh_token' || typeof params.scope !== 'string') return true;
    const asked = new Set(params.scope.split(' '));
    const granted = model.resource === undefined ? [] : [model.resource].flat();
    return granted.some((indicator) => (resources[indicator]?.scope.split(' ') ?? []).some((scope) => asked.has(scope)));
  };
}
