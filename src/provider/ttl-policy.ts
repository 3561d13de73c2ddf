import type { Configuration } from 'oidc-provider';
import type { RenkeiConfig } from '../settings/types.js';

const DAY = 24 * 60 * 60;

/** Lifetimes from config. Refresh tokens never outlive their grant. */
export function ttlPolicy(config: RenkeiConfig): NonNullable<Configuration['ttl']> {
  const grantSeconds = config.grant.ttlDays * DAY;
  return {
    AuthorizationCode: config.ttl.authorizationCodeSeconds,
    AccessToken: config.ttl.accessTokenSeconds,
    ClientCredentials: config.ttl.accessTokenSeconds,
    IdToken: config.ttl.idTokenSeconds,
    Interaction: config.ttl.interactionSeconds,
    Session: config.ttl.sessionSeconds,
    Grant: grantSeconds,
    RefreshToken(ctx, token) {
      const rotated = ctx?.oidc?.entities.RotatedRefreshToken;
      if (rotated && rotated !== token) return Math.max(1, rotated.remainingTTL);
      const grantExp = ctx?.oidc?.entities.Grant?.exp;
      const untilGrantEnds = typeof grantExp === 'number' ? grantExp - Math.floor(Date.now() / 1000) : grantSeconds;
      return Math.max(1, Math.min(grantSeconds, untilGrantEnds));
    },
  };
}
