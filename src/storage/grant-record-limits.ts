/**
 * How much one grant keeps, so that its memory and the cost of revoking it stay bounded however
 * often it is refreshed. Expired records leave the grant's index as soon as anything is added to it;
 * these caps bound what is still alive. Both adapters apply them.
 *
 * - Live opaque access tokens: every refresh issues one that lives `ttl.accessTokenSeconds`; a grant
 *   keeps its newest few and issuing one more ends the oldest (fosite ends the previous one outright).
 * - Rotated (consumed) refresh tokens: kept for reuse detection as long as they would have been
 *   valid, but only the grant's most recent rotations; presenting one of them again revokes the grant,
 *   an older one is simply unknown (`invalid_grant`).
 */
export const GRANT_RECORD_LIMITS = {
  liveAccessTokens: 16,
  usedRefreshTokens: 16,
} as const;

/** How many live records of this model a grant keeps (0 = no cap). */
export function liveCapOf(model: string): number {
  return model === 'AccessToken' ? GRANT_RECORD_LIMITS.liveAccessTokens : 0;
}

/** How many consumed records of this model a grant keeps for replay detection (0 = all, until they expire). */
export function usedCapOf(model: string): number {
  return model === 'RefreshToken' ? GRANT_RECORD_LIMITS.usedRefreshTokens : 0;
}
