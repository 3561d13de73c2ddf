import type { PrivateJwk } from './key-files.js';

/** Our own members on a JWK in keys/jwks.json; stripped before oidc-provider sees the key. */
export interface ScheduledJwk extends PrivateJwk {
  /** epoch seconds from which the key signs (absent: it may sign now) */
  renkei_not_before?: number;
  /** epoch seconds after which the key is no longer published (absent: published) */
  renkei_not_after?: number;
}

export type KeyStatus = 'signing' | 'published' | 'pending' | 'retired';

export interface KeySchedule {
  /** what oidc-provider loads: every published key; only the signing one of each alg may sign */
  readonly providerKeys: PrivateJwk[];
  readonly statuses: ReadonlyMap<string, KeyStatus>;
  /** the next moment at which the schedule changes (epoch seconds), if any */
  readonly nextChangeAt: number | undefined;
}

function strip(key: ScheduledJwk): PrivateJwk {
  const { renkei_not_before: _nbf, renkei_not_after: _naf, key_ops: _ops, ...jwk } = key;
  return jwk;
}

/**
 * Staged rotation: a new key is published first and signs only from its `renkei_not_before`;
 * the old one stays published (verify only) until its `renkei_not_after`. For each algorithm the
 * eligible key with the latest start signs.
 */
export function scheduleKeys(keys: readonly ScheduledJwk[], now: number): KeySchedule {
  const statuses = new Map<string, KeyStatus>();
  const live = keys.filter((key) => key.renkei_not_after === undefined || key.renkei_not_after > now);
  for (const key of keys) if (!live.includes(key)) statuses.set(key.kid, 'retired');

  const signers = new Map<string, ScheduledJwk>();
  for (const key of live) {
    const start = key.renkei_not_before ?? 0;
    if (start > now) continue;
    const current = signers.get(key.alg);
    if (!current || start > (current.renkei_not_before ?? 0)) signers.set(key.alg, key);
  }

  const providerKeys = live.map((key) => {
    const signing = signers.get(key.alg) === key;
    statuses.set(key.kid, signing ? 'signing' : (key.renkei_not_before ?? 0) > now ? 'pending' : 'published');
    return signing ? strip(key) : { ...strip(key), key_ops: ['verify'] };
  });

  const changes = keys
    .flatMap((key) => [key.renkei_not_before, key.renkei_not_after])
    .filter((at): at is number => typeof at === 'number' && at > now);
  return { providerKeys, statuses, nextChangeAt: changes.length ? Math.min(...changes) : undefined };
}
