import type { Context } from 'koa';
import { verifyAgainstDummy } from '../../src/accounts/secret-hash.js';
import { canonicalLoginId } from '../../src/accounts/text-input.js';
import { choosePositions } from '../digit-challenge/choose-positions.js';
import { recordFactorFailure, redirectToCurrentStep } from '../finish-login.js';
import type { FlowDeps } from '../flow-deps.js';
import type { InteractionView } from '../interaction-context.js';
import { renderLoginPage } from './login-page.js';

/**
 * Login ID + password. Unknown IDs and wrong passwords get the same message in the same time
 * (a dummy hash is verified); the locked message only after the correct password.
 */
export async function submitLogin(ctx: Context, deps: FlowDeps, view: InteractionView, form: ReadonlyMap<string, string>): Promise<void> {
  const { app } = deps;
  const t = view.texts.login;
  const rawLoginId = form.get('login_id') ?? '';
  const password = form.get('password') ?? '';
  const customer = await app.customers.findByLoginId(rawLoginId);

  if (!customer) {
    await verifyAgainstDummy(password);
    await app.throttle.recordFailure(ctx.ip);
    app.audit('login.failure', { login_id: canonicalLoginId(rawLoginId), client_id: view.clientId, ip: ctx.ip, interaction_id: view.uid, reason: 'unknown_login_id' });
    return renderLoginPage(ctx, deps, view, t.failed, 401);
  }

  const passwordOk = await app.customers.verifyPassword(customer, password);
  if (customer.status === 'locked') {
    if (!passwordOk) await app.throttle.recordFailure(ctx.ip);
    app.audit('login.failure', { login_id: customer.loginId, sub: customer.sub, client_id: view.clientId, ip: ctx.ip, interaction_id: view.uid, reason: 'account_locked' });
    return passwordOk ? renderLoginPage(ctx, deps, view, t.locked, 403) : renderLoginPage(ctx, deps, view, t.failed, 401);
  }
  if (!passwordOk) {
    await recordFactorFailure(ctx, deps, view, customer, 'login.failure', 'wrong_password');
    return renderLoginPage(ctx, deps, view, t.failed, 401);
  }

  await deps.progressStore.save(view.uid, {
    ...view.progress,
    sub: customer.sub,
    loginId: customer.loginId,
    passwordAt: Date.now(),
    positions: choosePositions(customer.userNumberLength, app.settings.config.challenge.digits),
  });
  redirectToCurrentStep(ctx, view.uid);
}
