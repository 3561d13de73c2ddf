import type { Logger } from 'pino';
import type { AdapterFactory } from 'oidc-provider';
import type { GrantIndex } from '../grants/grant-index.js';
import type { GrantExpiries, TrackedGrant } from './grant-expiries.js';
import type { PartnerEvents } from './partner-events.js';

const GRANTS_PER_SWEEP = 100;

/**
 * Grants that reached their expiry: the partner gets session-revoked (policy), the customer's
 * connection list forgets them. A grant extended meanwhile (consent again) is tracked anew.
 */
export function createExpirySweep(deps: {
  expiries: GrantExpiries;
  adapterFactory: AdapterFactory;
  grants: GrantIndex;
  events: PartnerEvents;
  logger: Logger;
  now?: () => number;
  /** counts each grant that ended by expiry (metrics) */
  onExpired?: () => void;
}): () => Promise<void> {
  const now = deps.now ?? Date.now;
  const settle = async (grant: TrackedGrant, at: number) => {
    const stored = (await deps.adapterFactory('Grant').find(grant.grantId)) as { exp?: number } | undefined;
    if (typeof stored?.exp === 'number' && stored.exp * 1000 > at) {
      await deps.expiries.track(grant, stored.exp * 1000);
      return;
    }
    await deps.events.sessionRevoked(grant.sub, grant, 'grant_expired');
    deps.onExpired?.();
    const summary = await deps.grants.find(grant.sub, grant.clientId);
    if (summary?.grantId === grant.grantId) await deps.grants.remove(grant.sub, grant);
    deps.logger.info({ event: 'grant.expired', client_id: grant.clientId, grant_id: grant.grantId }, 'grant expired');
  };
  return async () => {
    const at = now();
    for (const grant of await deps.expiries.claimDue(at, GRANTS_PER_SWEEP)) {
      // one that fails stays claimed until its lease ends, then is due again; the others go on
      await settle(grant, at).catch((error: unknown) => {
        deps.logger.warn({ event: 'grant.expiry_deferred', client_id: grant.clientId, grant_id: grant.grantId, err: { message: (error as Error).message } }, 'grant expiry not reported yet');
      });
    }
  };
}
