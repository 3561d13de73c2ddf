import type { KoaContextWithOIDC } from 'oidc-provider';
import type { GrantIndex } from '../grants/grant-index.js';

/**
 * The customer's active grant for this partner, found through our grant index (sessions are
 * short-lived, so oidc-provider's session-based lookup would almost never find it). Consent is
 * then skipped only when that grant already covers everything requested.
 */
export function createLoadExistingGrant(grants: GrantIndex) {
  return async (ctx: KoaContextWithOIDC) => {
    const { client, session, result } = ctx.oidc;
    const accountId = result?.login?.accountId ?? session?.accountId;
    if (!client || !accountId) return undefined;
    const grantId = result?.consent?.grantId ?? (await grants.find(accountId, client.clientId))?.grantId;
    if (!grantId) return undefined;
    const grant = await ctx.oidc.provider.Grant.find(grantId);
    if (!grant || grant.accountId !== accountId || grant.clientId !== client.clientId) return undefined;
    return grant;
  };
}
