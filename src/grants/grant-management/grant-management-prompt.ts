import { interactionPolicy, type KoaContextWithOIDC } from 'oidc-provider';
import { grantManagementAction } from './grant-management-params.js';

type Policy = ReturnType<typeof interactionPolicy.base>;

/** merge, replace and create always ask the customer: each changes what the grant allows. */
export function withGrantManagementConsent(policy: Policy): Policy {
  policy.get('consent')!.checks.add(new interactionPolicy.Check(
    'grant_management',
    'grant_management_action changes the grant',
    (ctx: KoaContextWithOIDC) => (grantManagementAction(ctx.oidc.params) && !ctx.oidc.result?.consent ? interactionPolicy.Check.REQUEST_PROMPT : interactionPolicy.Check.NO_NEED_TO_PROMPT),
  ));
  return policy;
}
