import type { AppContext } from '../services.js';
import type { GrantSummary } from './grant-index.js';
import { revokeGrant } from './revoke-grant.js';

/** Ends one partner's access for one customer: the grant, every token under it, and the index entries. */
export async function revokeCustomerGrant(
  app: Pick<AppContext, 'store' | 'grants' | 'audit'>,
  sub: string,
  summary: Pick<GrantSummary, 'grantId' | 'clientId'>,
  fields: { reason: string; login_id?: string | undefined; ip?: string | undefined },
): Promise<void> {
  await revokeGrant(app.store.adapterFactory, summary.grantId);
  await app.grants.remove(sub, summary);
  app.audit('grant.revoked', { sub, client_id: summary.clientId, grant_id: summary.grantId, ...fields });
}
