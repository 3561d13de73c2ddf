import type { AppContext } from '../services.js';
import { ACCOUNT_INFORMATION, accountInformationOf } from '../provider/rar-account-information.js';

export type NarrowOutcome = 'narrowed' | 'unchanged' | 'none_left' | 'no_grant';

/**
 * The customer keeps only some of the accounts a partner sees, without ending the connection:
 * the grant's account_information detail loses the others, so tokens issued from now on carry
 * the new choice and introspection of earlier tokens no longer shows the removed accounts. At
 * least one account stays; accounts are never added here (that takes the partner's request).
 */
export async function narrowGrantAccounts(
  app: Pick<AppContext, 'provider' | 'grants' | 'audit'>,
  sub: string,
  clientId: string,
  keep: ReadonlySet<string>,
  fields: { login_id?: string | undefined; ip?: string | undefined },
): Promise<NarrowOutcome> {
  const summary = await app.grants.find(sub, clientId);
  const grant = summary ? await app.provider.Grant.find(summary.grantId) : undefined;
  const detail = accountInformationOf(grant?.rar);
  if (!grant || grant.accountId !== sub || !detail) return 'no_grant';
  const current = detail.accounts ?? [];
  const kept = current.filter((account) => keep.has(account));
  if (kept.length === 0) return 'none_left';
  if (kept.length === current.length) return 'unchanged';
  grant.rar = [...(grant.rar ?? []).filter((d) => d.type !== ACCOUNT_INFORMATION), { ...detail, accounts: kept }];
  await grant.save();
  app.audit('grant.accounts_narrowed', { sub, client_id: clientId, grant_id: grant.jti, accounts: kept.length, removed: current.length - kept.length, ...fields });
  return 'narrowed';
}
