import type { FlowDeps } from '../flow-deps.js';
import type { InteractionView } from '../interaction-context.js';

/** The customer's grant for this partner: the interaction's, else the one our index holds (a retried consent). */
export async function findConsentGrant(deps: FlowDeps, view: InteractionView, accountId: string) {
  const { Grant } = deps.app.provider;
  const grantId = view.details.grantId ?? (await deps.app.grants.find(accountId, view.clientId))?.grantId;
  const grant = grantId ? await Grant.find(grantId) : undefined;
  return grant && grant.accountId === accountId && grant.clientId === view.clientId ? grant : undefined;
}
