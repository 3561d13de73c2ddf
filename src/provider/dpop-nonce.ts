import type { Configuration, KoaContextWithOIDC } from 'oidc-provider';
import type { RenkeiConfig } from '../settings/types.js';
import { renkeiMetadata } from './client-metadata.js';

type DPoPFeature = NonNullable<NonNullable<Configuration['features']>['dPoP']>;

/**
 * DPoP (RFC 9449) with server nonces (§8). oidc-provider derives each nonce from the shared
 * secret and the time, so every instance accepts every other's nonces with nothing stored.
 * Whether a proof must carry one depends on the client's profile (`dpop.requireNonce`); the
 * client is known wherever a proof is checked at the token and PAR endpoints. Where it is not
 * (a resource such as userinfo checks the proof before it looks the token up) none is required.
 */
export function dpopFeature({ requireNonce }: RenkeiConfig['dpop'], nonceSecret: Buffer): DPoPFeature {
  return {
    enabled: true,
    nonceSecret,
    requireNonce(ctx: KoaContextWithOIDC) {
      const client = ctx.oidc.client;
      if (!client) return false;
      return renkeiMetadata(client).profile === 'fapi2' ? requireNonce.fapi2 : requireNonce.standard;
    },
  };
}
