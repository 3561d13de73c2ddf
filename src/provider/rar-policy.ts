import type { AuthorizationDetailsForIntrospection, KoaContextWithOIDC, RichAuthorizationRequestsActiveConfiguration } from 'oidc-provider';
import type { RenkeiConfig } from '../settings/types.js';
import { ACCOUNT_INFORMATION, accountInformationOf, validateAccountInformation, type AccountInformationDetail } from './rar-account-information.js';

/** The grant's current account_information detail (the customer's latest choice), if it has one. */
async function currentDetail(ctx: KoaContextWithOIDC, grantId: string | undefined): Promise<AccountInformationDetail | undefined> {
  if (!grantId) return undefined;
  const loaded = ctx.oidc.entities.Grant;
  const grant = loaded?.jti === grantId ? loaded : await ctx.oidc.provider.Grant.find(grantId);
  return accountInformationOf(grant?.rar);
}

/**
 * Rich Authorization Requests (RFC 9396) with one type, account_information. What the grant
 * holds (actions and the accounts the customer chose at consent) is what codes, tokens and
 * introspection carry; tokens issued after the customer narrows the choice carry the new one,
 * and introspection of an earlier token shows only the accounts still chosen.
 */
export function richAuthorizationRequestsFeature(resources: RenkeiConfig['resources']): RichAuthorizationRequestsActiveConfiguration & { authorizationDetailsForIntrospection: AuthorizationDetailsForIntrospection } {
  const indicators = Object.keys(resources);
  return {
    enabled: true,
    types: {
      [ACCOUNT_INFORMATION]: {
        validate: (_ctx: KoaContextWithOIDC, detail: Parameters<typeof validateAccountInformation>[0]) => validateAccountInformation(detail, indicators),
      },
    },
    authorizationDetailsForGrantSource: (ctx) => {
      const detail = accountInformationOf(ctx.oidc.grant?.rar);
      return detail ? [detail] : undefined;
    },
    authorizationDetailsForAccessToken: async (ctx, token) => {
      const detail = await currentDetail(ctx, 'grantId' in token ? token.grantId : undefined);
      return detail ? [detail] : undefined;
    },
    authorizationDetailsForIntrospection: async (ctx, token) => {
      const issued = accountInformationOf(token.rar);
      if (!issued) return undefined;
      const current = await currentDetail(ctx, 'grantId' in token ? token.grantId : undefined);
      const stillChosen = new Set(current?.accounts ?? []);
      return [{ ...issued, accounts: (issued.accounts ?? []).filter((account) => stillChosen.has(account)) }];
    },
  };
}
