import type { AuthorizationDetailsForIntrospection, KoaContextWithOIDC, RichAuthorizationRequestsActiveConfiguration } from 'oidc-provider';
import type { RenkeiConfig } from '../settings/types.js';
import { ACCOUNT_INFORMATION, ACTION_SCOPES, accountInformationOf, validateAccountInformation, type AccountInformationDetail } from './rar-account-information.js';

/** The grant's current account_information detail (the customer's latest choice), if it has one. */
async function currentDetail(ctx: KoaContextWithOIDC, grantId: string | undefined): Promise<AccountInformationDetail | undefined> {
  if (!grantId) return undefined;
  const loaded = ctx.oidc.entities.Grant;
  const grant = loaded?.jti === grantId ? loaded : await ctx.oidc.provider.Grant.find(grantId);
  return accountInformationOf(grant?.rar);
}

/**
 * RFC 6749 §6: a refresh may ask for fewer scopes than the refresh token holds. An action granted
 * through a scope (balances through accounts, transactions through transactions) goes when its
 * scope is left out; one asked for in authorization_details alone stays. No actions left, no detail.
 */
function withinRefreshScope(ctx: KoaContextWithOIDC, detail: AccountInformationDetail): AccountInformationDetail | undefined {
  const params = ctx.oidc.params;
  const held = ctx.oidc.entities.RefreshToken?.scope;
  if (ctx.oidc.route !== 'token' || params?.grant_type !== 'refresh_token' || typeof params.scope !== 'string' || !held) return detail;
  const asked = new Set(params.scope.split(' '));
  const heldScopes = new Set(held.split(' '));
  const actions = detail.actions.filter((action) => asked.has(ACTION_SCOPES[action]) || !heldScopes.has(ACTION_SCOPES[action]));
  return actions.length ? { ...detail, actions } : undefined;
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
      const current = await currentDetail(ctx, 'grantId' in token ? token.grantId : undefined);
      const detail = current && withinRefreshScope(ctx, current);
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
