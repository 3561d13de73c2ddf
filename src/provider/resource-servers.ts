import { errors, type KoaContextWithOIDC, type ResourceServer } from 'oidc-provider';
import type { RenkeiConfig } from '../settings/types.js';

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
