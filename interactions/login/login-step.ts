import type { Context } from 'koa';
import { checkPassword } from '../auth/check-password.js';
import { redirectToCurrentStep } from '../finish-login.js';
import type { FlowDeps } from '../flow-deps.js';
import type { InteractionView } from '../interaction-context.js';
import { renderLoginPage } from './login-page.js';

/** Login ID + password; on success the customer's digit positions (fixed until answered correctly) are asked next. */
export async function submitLogin(ctx: Context, deps: FlowDeps, view: InteractionView, form: ReadonlyMap<string, string>): Promise<void> {
  const { app } = deps;
  const where = { ip: ctx.ip, client_id: view.clientId, interaction_id: view.uid };
  const result = await checkPassword(app, where, form.get('login_id') ?? '', form.get('password') ?? '');
  if (result.outcome === 'locked') return renderLoginPage(ctx, deps, view, view.texts.login.locked, 403);
  if (result.outcome === 'failed') return renderLoginPage(ctx, deps, view, view.texts.login.failed, 401);

  const { customer } = result;
  await deps.progressStore.save(view.uid, {
    ...view.progress,
    sub: customer.sub,
    loginId: customer.loginId,
    passwordAt: Date.now(),
    positions: await app.digitPositions.current(customer),
  });
  redirectToCurrentStep(ctx, view.uid);
}
