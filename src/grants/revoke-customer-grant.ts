import type { AppContext } from '../services.js';
import type { GrantSummary } from './grant-index.js';
import { revokeGrant } from './revoke-grant.js';

/**
 * Ends one partner's access for one customer: the grant, every token under it, and the index
 * entries. Every end of a grant goes through here (連携解除, operators, credential changes, Grant
 * Management DELETE). The partner's CAEP session-revoked event is queued first: the outbox and the
 * grant live in different slots, so the two cannot be one transaction, and queueing first means a
 * failure in between leaves the partner told and the revocation to be repeated, never a grant
 * ended in silence.
 */
export async function revokeCustomerGrant(
  app: Pick<AppContext, 'store' | 'grants' | 'audit' | 'events' | 'customers'>,
  sub: string,
  summary: Pick<GrantSummary, 'grantId' | 'clientId'>,
  fields: { reason: string; login_id?: string | undefined; ip?: string | undefined },
): Promise<void> {
  await app.events.sessionRevoked(sub, summary, fields.reason);
  await revokeGrant(app.store.adapterFactory, summary.grantId);
  await app.grants.remove(sub, summary);
  // every grant.revoked names the customer by login ID, also where the caller knew only the sub
  const loginId = fields.login_id ?? (await app.customers.loginIdOf(sub));
  app.audit('grant.revoked', { sub, client_id: summary.clientId, grant_id: summary.grantId, ...fields, login_id: loginId });
}
