import type { KoaContextWithOIDC } from 'oidc-provider';
import type { GrantIndex } from '../grants/grant-index.js';
import { InvalidGrantId } from '../grants/grant-management/grant-management-errors.js';
import { grantManagementAction } from '../grants/grant-management/grant-management-params.js';

/**
 * The customer's active grant for this partner, found through our grant index (sessions are
 * short-lived, so oidc-provider's session-based lookup would almost never find it). Consent is
 * then skipped only when that grant already covers everything requested.
 *
 * Grant Management: `merge` starts from the named grant, `create` and `replace` from an empty one
 * (the consent step keeps replace's grant_id); a grant_id that is not this customer's is refused.
 */
export function createLoadExistingGrant(grants: GrantIndex) {
  return async (ctx: KoaContextWithOIDC) => {
    const { client, session, result, params } = ctx.oidc;
    const accountId = result?.login?.accountId ?? session?.accountId;
    if (!client || !accountId) return undefined;
    const consented = result?.consent?.grantId;
    const action = consented ? undefined : grantManagementAction(params);
    if (action === 'create') return undefined;
    const grantId = consented ?? (action ? (params!.grant_id as string) : await grants.findGrantId(accountId, client.clientId));
    if (!grantId) return undefined;
    const grant = await ctx.oidc.provider.Grant.find(grantId);
    const owned = grant && grant.accountId === accountId && grant.clientId === client.clientId;
    if (action && !owned) throw new InvalidGrantId();
    if (!owned || action === 'replace') return undefined;
    return grant;
  };
}
