/**
 * How much one grant keeps, so that its memory and the cost of revoking it stay bounded however
 * often it is refreshed. Expired records leave the grant's index as soon as anything is added to it;
 * these caps bound what is still alive. Both adapters apply them.
 *
 * - Live opaque access tokens: every refresh issues one that lives `ttl.accessTokenSeconds`; a grant
 *   keeps its newest few and issuing one more ends the oldest (fosite ends the previous one outright).
 *   Redis orders them by expiry, which is their age since they all live as long.
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

/**
 * What a consumed authorization code keeps until it expires: only what oidc-provider checks
 * before it sees `consumed` (client, expiry, grant, PKCE, redirect_uri, attestation binding;
 * lib/actions/grants/authorization_code.js), so that a replayed code still reaches that check
 * and revokes the grant. The rest (scope, claims, nonce, session, …) was needed once.
 */
const CONSUMED_CODE_FIELDS = [
  'kind', 'jti', 'iat', 'exp', 'clientId', 'grantId',
  'codeChallenge', 'codeChallengeMethod', 'redirectUri', 'attestationJkt',
] as const;

/** The payload fields a consumed record of this model keeps (undefined = all). */
export function consumedFieldsOf(model: string): readonly string[] | undefined {
  return model === 'AuthorizationCode' ? CONSUMED_CODE_FIELDS : undefined;
}
