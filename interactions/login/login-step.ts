import type { Context } from 'koa';
import { redirectToCurrentStep } from '../finish-login.js';
import { bankNameFor, type FlowDeps } from '../flow-deps.js';
import type { InteractionView } from '../interaction-context.js';
import { renderLockedStep } from '../step-page.js';
import { checkLoginForm } from './check-login-form.js';
import { renderLoginPage } from './login-page.js';

/** Login ID + password; on success the customer's digit positions (fixed until answered correctly) are asked next. */
export async function submitLogin(ctx: Context, deps: FlowDeps, view: InteractionView, form: ReadonlyMap<string, string>): Promise<void> {
  const { app } = deps;
  const where = { ip: ctx.ip, client_id: view.clientId, interaction_id: view.uid };
  const result = await checkLoginForm(app, where, view.texts, form);
  if (result.outcome === 'locked') {
    return renderLockedStep(ctx, view, bankNameFor(app, view.locale), view.texts.login.title, app.settings.config.bank.contact);
  }
  if (result.outcome === 'failed') return renderLoginPage(ctx, deps, view, result.error, 401, result.loginId);
  await deps.progressStore.save(view.uid, { ...view.progress, ...result.progress });
  redirectToCurrentStep(ctx, view.uid);
}
