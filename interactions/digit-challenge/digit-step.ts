import type { Context } from 'koa';
import { samePositions } from '../../src/accounts/digit-positions.js';
import { assessRisk } from '../../src/risk/assess-risk.js';
import { checkDigits } from '../auth/check-digits.js';
import { finishLogin, redirectToCurrentStep } from '../finish-login.js';
import type { FlowDeps } from '../flow-deps.js';
import type { InteractionView } from '../interaction-context.js';
import { renderDigitPage } from './digit-page.js';
import { DEVICE_COOKIE } from '../additional-auth/device-cookie.js';

/**
 * The digits at the customer's positions; never says which one was wrong. A correct answer draws
 * new positions for next time. Then the risk policy decides.
 */
export async function submitDigits(ctx: Context, deps: FlowDeps, view: InteractionView, form: ReadonlyMap<string, string>): Promise<void> {
  const { app } = deps;
  const customer = await app.customers.findBySub(view.progress.sub!);
  if (!customer) return redirectToCurrentStep(ctx, view.uid);
  const positions = await app.digitPositions.current(customer);
  if (!samePositions(positions, view.progress.positions)) {
    // answered correctly in another flow meanwhile: this one asks the customer's new positions
    const progress = { ...view.progress, positions };
    await deps.progressStore.save(view.uid, progress);
    return renderDigitPage(ctx, deps, { ...view, progress });
  }
  const where = { ip: ctx.ip, client_id: view.clientId, interaction_id: view.uid };
  const outcome = await checkDigits(app, where, customer, positions, form);
  if (outcome === 'locked') return renderDigitPage(ctx, deps, view, view.texts.login.locked, 403);
  if (outcome === 'failed') return renderDigitPage(ctx, deps, view, view.texts.digits.failed, 401);
  await app.digitPositions.renew(customer);

  const { config } = app.settings;
  const risk = assessRisk(config.risk.additionalAuth, {
    deviceKnown: await app.devices.isKnown(customer.sub, ctx.cookies.get(DEVICE_COOKIE, { signed: true })),
    failuresSinceSuccess: await app.lockout.failuresSinceSuccess(customer.sub),
    requestedScopes: String(view.details.params.scope ?? '').split(' '),
    highRiskScopes: new Set(Object.entries(config.scopes).filter(([, s]) => s.highRisk).map(([name]) => name)),
  });
  const progress = { ...view.progress, digitsAt: Date.now(), additionalRequired: risk.additionalAuthRequired, riskReasons: risk.reasons };
  await deps.progressStore.save(view.uid, progress);

  if (risk.additionalAuthRequired) {
    app.audit('additional_auth.required', { login_id: customer.loginId, sub: customer.sub, client_id: view.clientId, ip: ctx.ip, interaction_id: view.uid, reason: risk.reasons });
    return redirectToCurrentStep(ctx, view.uid);
  }
  await finishLogin(ctx, deps, { ...view, progress }, customer, false);
}
