import type { Context } from 'koa';
import type { Customer } from '../src/accounts/customer.js';
import { ACR } from '../src/provider/create-provider.js';
import type { FlowDeps } from './flow-deps.js';
import type { InteractionView } from './interaction-context.js';
import { recordInteractionResult } from './interaction-result.js';

export interface LoginFinish {
  readonly withAdditional: boolean;
  /** false when this request read a zero failure count and no answer-due mark: nothing to reset */
  readonly lockoutToReset?: boolean | undefined;
  /** a write of the last step, already sent: awaited with the login's own (one round trip), before the result is recorded */
  readonly alongside?: Promise<unknown> | undefined;
}

/**
 * Every required factor has passed: only now is oidc-provider's login prompt finished (which
 * logs the account into the session). The failure count starts again from zero. The view's
 * progress is recorded as the interaction's last.
 */
export async function finishLogin(
  ctx: Context,
  deps: FlowDeps,
  view: InteractionView,
  customer: Customer,
  { withAdditional, lockoutToReset = true, alongside }: LoginFinish,
): Promise<void> {
  const { app } = deps;
  const now = Date.now();
  await Promise.all([alongside, lockoutToReset ? app.lockout.reset(customer.sub) : undefined, app.customers.recordLogin(customer.sub, now)]);
  const acr = withAdditional ? ACR.withAdditional : ACR.twoFactor;
  const amr = withAdditional ? ['pwd', 'pin', 'kba'] : ['pwd', 'pin'];
  app.audit('login.success', { login_id: customer.loginId, sub: customer.sub, client_id: view.clientId, ip: ctx.ip, interaction_id: view.uid, acr });
  const returnTo = await recordInteractionResult(view, { login: { accountId: customer.sub, acr, amr, remember: false } }, { mergeWithLastSubmission: false });
  await deps.progressStore.finish(view.uid);
  ctx.status = 303;
  ctx.redirect(returnTo);
}

export function redirectToCurrentStep(ctx: Context, uid: string): void {
  ctx.status = 303;
  ctx.redirect(`/interaction/${uid}`);
}
