import { grantManagementAction } from '../../src/grants/grant-management/grant-management-params.js';
import type { FlowDeps } from '../flow-deps.js';
import type { InteractionView } from '../interaction-context.js';

async function ownGrant(deps: FlowDeps, view: InteractionView, accountId: string, grantId: string | undefined) {
  const grant = grantId ? await deps.app.provider.Grant.find(grantId) : undefined;
  return grant && grant.accountId === accountId && grant.clientId === view.clientId ? grant : undefined;
}

/**
 * The grant this consent extends: the one named by grant_management_action=merge, none for create
 * and replace (a grant starting afresh), else the interaction's or the one our index holds (a
 * retried consent).
 */
export async function findConsentGrant(deps: FlowDeps, view: InteractionView, accountId: string) {
  const action = grantManagementAction(view.details.params);
  if (action === 'create' || action === 'replace') return undefined;
  if (action === 'merge') return ownGrant(deps, view, accountId, view.details.params.grant_id as string);
  return ownGrant(deps, view, accountId, view.details.grantId ?? (await deps.app.grants.find(accountId, view.clientId))?.grantId);
}

/** grant_management_action=replace: the grant's id, when it is this customer's grant with this partner. */
export async function grantToReplace(deps: FlowDeps, view: InteractionView, accountId: string): Promise<string | undefined> {
  if (grantManagementAction(view.details.params) !== 'replace') return undefined;
  return (await ownGrant(deps, view, accountId, view.details.params.grant_id as string))?.jti;
}
