/**
 * Every Redis key renkei uses is built here.
 *
 * The part in braces is the Redis Cluster hash tag: all records of one grant (the grant, its
 * index, its codes and tokens) share the tag `{g:<grantId>}` and so one slot, which lets a Lua
 * script consume a code or revoke a grant atomically. Everything else is tagged by its own id.
 */
const PREFIX = 'renkei';

/** oidc-provider models whose records belong to a grant and are revoked with it. */
export const GRANTABLE_MODELS: ReadonlySet<string> = new Set([
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
  'PreAuthorizedCode',
]);

/**
 * One-letter codes of the grantable models: a grant's index names its members by code and id
 * (`R<id>`), short enough for Redis to keep small sorted sets in its compact listpack encoding.
 */
export const GRANT_MEMBER_CODES: Readonly<Record<string, string>> = {
  AccessToken: 'T',
  AuthorizationCode: 'A',
  RefreshToken: 'R',
  DeviceCode: 'D',
  BackchannelAuthenticationRequest: 'B',
  PreAuthorizedCode: 'P',
};

/** How a grant's sorted sets name one of its records. */
export const grantMemberName = (model: string, id: string) => `${GRANT_MEMBER_CODES[model]}${id}`;

/**
 * ReplayDetection (DPoP proof and client assertion jti) is checked by oidc-provider with
 * find-then-save; both adapters claim the id on find so that the check is atomic. The claim
 * outlives every proof window.
 */
export const REPLAY_DETECTION = 'ReplayDetection';
export const REPLAY_CLAIM_SECONDS = 600;

export const redisKeys = {
  /** the Grant model's record */
  grant: (grantId: string) => `${PREFIX}:{g:${grantId}}:Grant`,
  /** sorted set of the grant's codes and refresh tokens (grantMemberName), scored by expiry (epoch seconds) */
  grantIndex: (grantId: string) => `${PREFIX}:{g:${grantId}}:index`,
  /** sorted set of the grant's live access tokens (grantMemberName), scored by expiry (capped) */
  grantAccessTokens: (grantId: string) => `${PREFIX}:{g:${grantId}}:live:AccessToken`,
  /** sorted set of the grant's most recently rotated refresh tokens (grantMemberName), scored by consumption time (capped) */
  grantUsedRefreshTokens: (grantId: string) => `${PREFIX}:{g:${grantId}}:used:RefreshToken`,
  /** a grantable record (code, token) stored beside its grant */
  grantMember: (model: string, id: string, grantId: string) => `${PREFIX}:{g:${grantId}}:${model}:${id}`,
  /** any other record, or for grantables the pointer to the grant that holds them */
  record: (model: string, id: string) => `${PREFIX}:{${model}:${id}}`,
  sessionByUid: (uid: string) => `${PREFIX}:{Session:uid:${uid}}`,
  byUserCode: (model: string, userCode: string) => `${PREFIX}:{${model}:userCode:${userCode}}`,
  /** a customer's record, and what hangs off it (same slot) */
  customer: (sub: string) => `${PREFIX}:{c:${sub}}:customer`,
  customerFailures: (sub: string) => `${PREFIX}:{c:${sub}}:failures`,
  /** hash: the failure counts of login IDs nobody holds, by the ID's SHA-256 (check-password.ts) */
  unknownLoginIdFailures: () => `${PREFIX}:unknown-login-ids:failures`,
  /** present while the next sign-in owes the secret answer (a wrong answer, or an operator's unlock, since the last full success) */
  customerAnswerDue: (sub: string) => `${PREFIX}:{c:${sub}}:answer-due`,
  /** a browser the customer passed additional authentication on, by its id's digest (device-registry.ts) */
  customerDevice: (sub: string, deviceDigest: string) => `${PREFIX}:{c:${sub}}:dev:${deviceDigest}`,
  /** the same as written before customerDevice (the whole SHA-256 digest): still read, no longer written */
  customerDeviceAsBefore: (sub: string, deviceDigest: string) => `${PREFIX}:{c:${sub}}:device:${deviceDigest}`,
  /** hash of the partners holding access for this customer (grant-index.ts: grant id, summary, last use per client_id) */
  customerGrants: (sub: string) => `${PREFIX}:{c:${sub}}:grants`,
  /** written before the last use moved into customerGrants: hash client_id → when the partner last obtained tokens (ms); read and removed, no longer written */
  customerGrantsLastUsed: (sub: string) => `${PREFIX}:{c:${sub}}:grants-last-used`,
  /** the 利用者番号 positions this customer is asked until answered correctly */
  customerDigitPositions: (sub: string) => `${PREFIX}:{c:${sub}}:digit-positions`,
  /** hash sub → canonical login ID: every customer, for listing */
  customerList: () => `${PREFIX}:{customers}`,
  /** hash client_id → client_name: every registered partner, for listing */
  clientList: () => `${PREFIX}:{clients}`,
  /** canonical login ID → sub */
  loginId: (canonicalLoginId: string) => `${PREFIX}:{login:${canonicalLoginId}}`,
  /** hash grant_id → sub: the customers who granted this partner access */
  clientGrants: (clientId: string) => `${PREFIX}:{cl:${clientId}}:grants`,
  /** which steps of one login interaction have passed */
  interactionProgress: (uid: string) => `${PREFIX}:{ix:${uid}}:progress`,
  /** claim on one interaction's consent while it is being granted (taken only while its progress exists; both go when it is granted) */
  interactionConsent: (uid: string) => `${PREFIX}:{ix:${uid}}:consent`,
  /** the page the interaction's last form was answered with, kept for the GET it redirects to (a minute, shown once) */
  interactionShownPage: (uid: string) => `${PREFIX}:{ix:${uid}}:shown`,
  /** the self-service (連携サービス管理) session */
  accountSession: (id: string) => `${PREFIX}:{as:${id}}`,
  /** the page the session's last form was answered with, kept for the GET it redirects to (a minute, shown once) */
  accountSessionShownPage: (id: string) => `${PREFIX}:{as:${id}}:shown`,
  /** the demo partner's pending authorization (state → PKCE verifier and nonce) */
  demoState: (state: string) => `${PREFIX}:{demo:${state}}`,
  /** a value sealed with the data key, which shows whether keys/data-keys.json opens what this store holds */
  dataKeyCheck: () => `${PREFIX}:{data-key-check}`,
  /** a DPoP proof's jti seen at the grant management endpoint (replay check) */
  /** rate-limiter-flexible's prefix for per-IP throttling */
  throttlePrefix: () => `${PREFIX}:throttle`,
  /**
   * rate-limiter-flexible's prefixes for failed client authentication and invalid grants: per IP,
   * per client, per client at one IP. One hash tag for all three, so that a request's budget is
   * read with one MGET (also in Cluster).
   */
  clientThrottlePrefix: (dimension: 'ip' | 'client' | 'client-at-ip') => `${PREFIX}:{client-throttle}:${dimension}`,
  /** sorted set of the failure-budget keys charged lately, scored by the end of their window (ms): read by an instance that starts listening */
  clientThrottleCharged: () => `${PREFIX}:{client-throttle}:charged`,
  /** pub/sub channel: failure-budget keys just charged (every instance reads those budgets from then on) */
  clientThrottleChannel: () => `${PREFIX}:client-throttle-charges`,
  /** hash staff name → staff credential record (role, dates, token digest; never the token) */
  staffMembers: () => `${PREFIX}:{staff}:members`,
  /** SHA-256 digest of a staff token → staff name */
  staffToken: (tokenDigest: string) => `${PREFIX}:{staff}:token:${tokenDigest}`,
  /** hash staff name → when the credential was last used (ms) */
  staffLastUsed: () => `${PREFIX}:{staff}:last-used`,
  /** a partner's event outbox (Redis Stream, consumer group `delivery`) and what hangs off it (same slot) */
  eventOutbox: (clientId: string) => `${PREFIX}:{ev:${clientId}}:outbox`,
  /** hash outbox entry id → retry state (attempts, next attempt, last error) */
  eventRetries: (clientId: string) => `${PREFIX}:{ev:${clientId}}:retries`,
  /** stream of the partner's dead-lettered events */
  eventDeadLetters: (clientId: string) => `${PREFIX}:{ev:${clientId}}:dead`,
  /** capped stream of the partner's recently delivered events */
  eventDelivered: (clientId: string) => `${PREFIX}:{ev:${clientId}}:delivered`,
  /** which instance delivers this partner's stream now (so that it goes out in order) */
  eventLease: (clientId: string) => `${PREFIX}:{ev:${clientId}}:lease`,
  /** set of client_ids that have an outbox */
  eventStreams: () => `${PREFIX}:{events}:streams`,
  /** sorted set of grants (JSON [grant_id, client_id, sub]) scored by expiry (epoch ms) */
  grantExpiries: () => `${PREFIX}:{events}:grant-expiries`,
  /** pub/sub channel: the client_id of a client just changed, so that every instance drops its cached copy */
  clientChangesChannel: () => `${PREFIX}:client-changes`,
  /** pub/sub channel: the subs of customers whose records were just written, so that every instance drops the standing it holds */
  customerChangesChannel: () => `${PREFIX}:customer-changes`,
  /** used by readiness probes */
  readinessProbe: () => `${PREFIX}:{probe}`,
} as const;

/** The pointer key of a grant member key (`renkei:{g:<grantId>}:<Model>:<id>`), or undefined. */
export function pointerOfGrantMember(memberKey: string): string | undefined {
  const match = /^[^:]+:\{g:[^}]*\}:([A-Za-z]+):(.+)$/.exec(memberKey);
  return match ? redisKeys.record(match[1]!, match[2]!) : undefined;
}
