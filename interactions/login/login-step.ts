import type { Context } from 'koa';
import { checkPassword } from '../auth/check-password.js';
import { redirectToCurrentStep } from '../finish-login.js';
import { bankNameFor, type FlowDeps } from '../flow-deps.js';
import type { InteractionView } from '../interaction-context.js';
import { renderLockedStep } from '../step-page.js';
import { renderLoginPage } from './login-page.js';

/** Login ID + password; on success the customer's digit positions (fixed until answered correctly) are asked next. */
export async function submitLogin(ctx: Context, deps: FlowDeps, view: InteractionView, form: ReadonlyMap<string, string>): Promise<void> {
  const { app } = deps;
  const where = { ip: ctx.ip, client_id: view.clientId, interaction_id: view.uid };
  const loginId = form.get('login_id') ?? '';
  const result = await checkPassword(app, where, loginId, form.get('password') ?? '');
  if (result.outcome === 'locked') {
    return renderLockedStep(ctx, view, bankNameFor(app, view.locale), view.texts.login.title, app.settings.config.bank.contact);
  }
  if (result.outcome === 'failed') {
    return renderLoginPage(ctx, deps, view, { message: view.texts.login.failed, attemptsLeft: result.attemptsLeft }, 401, loginId);
  }

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
