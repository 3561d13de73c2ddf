import type { Context } from 'koa';
import { readDigitAnswer } from '../../src/accounts/customer-reads.js';
import { assessRisk } from '../../src/risk/assess-risk.js';
import { checkDigitForm } from './check-digit-form.js';
import { finishLogin, redirectToCurrentStep } from '../finish-login.js';
import type { FlowDeps } from '../flow-deps.js';
import type { InteractionView } from '../interaction-context.js';
import { renderDigitPage } from './digit-page.js';
import { DEVICE_COOKIE } from '../additional-auth/device-cookie.js';
import { currentStep } from '../progress.js';

/**
 * The digits at the customer's positions; never says which one was wrong. After a correct answer
 * the next login is asked newly drawn positions. Then the risk policy decides.
 */
export async function submitDigits(ctx: Context, deps: FlowDeps, view: InteractionView, form: ReadonlyMap<string, string>): Promise<void> {
  const { app } = deps;
  const where = { ip: ctx.ip, client_id: view.clientId, interaction_id: view.uid };
  const deviceId = ctx.cookies.get(DEVICE_COOKIE, { signed: true });
  // the records the check and, after a correct answer, the risk policy read: one command
  const readAt = app.factorChecks.mark();
  const read = await readDigitAnswer(app.store.kv, view.progress.sub!, deviceId);
  const result = await checkDigitForm(app, where, view.progress.sub!, view.progress.positions, form, { records: read, at: readAt });
  if (result.outcome === 'unknown_customer') return redirectToCurrentStep(ctx, view.uid);
  if (result.outcome === 'moved') {
    // the positions changed while this request waited: answered in another flow, or by this same
    // form submitted twice at once, whose other submission passed this step. The progress as it is
    // now says which; the page's copy would overwrite that pass.
    const now = (await deps.progressStore.load(view.uid)) ?? view.progress;
    if (currentStep(now) !== 'digits') return redirectToCurrentStep(ctx, view.uid);
    const progress = { ...now, positions: result.positions };
    await deps.progressStore.save(view.uid, progress);
    return renderDigitPage(ctx, deps, { ...view, progress });
  }
  if (result.outcome === 'locked') return renderDigitPage(ctx, deps, view, view.texts.login.locked, 403);
  if (result.outcome === 'failed') return renderDigitPage(ctx, deps, view, view.texts.digits.failed, 401);
  if (result.outcome === 'malformed') return renderDigitPage(ctx, deps, view, view.texts.digits.malformed, 400);
  const { customer, positionsForgotten } = result;

  const { config } = app.settings;
  const { failuresSinceSuccess, answerDue } = read;
  const deviceKnown = await app.devices.isKnown(customer.sub, deviceId, read.deviceFound);
  const risk = assessRisk(config.risk.additionalAuth, {
    deviceKnown,
    failuresSinceSuccess,
    answerDue,
    requestedScopes: String(view.details.params.scope ?? '').split(' '),
    highRiskScopes: new Set(Object.entries(config.scopes).filter(([, s]) => s.highRisk).map(([name]) => name)),
  });
  const progress = { ...view.progress, digitsAt: Date.now(), additionalRequired: risk.additionalAuthRequired, riskReasons: risk.reasons };

  if (risk.additionalAuthRequired) {
    await Promise.all([positionsForgotten, deps.progressStore.save(view.uid, progress)]);
    app.audit('additional_auth.required', { login_id: customer.loginId, sub: customer.sub, client_id: view.clientId, ip: ctx.ip, interaction_id: view.uid, reason: risk.reasons });
    return redirectToCurrentStep(ctx, view.uid);
  }
  // finishing the login records this step's progress, once, as the interaction's last
  await finishLogin(ctx, deps, { ...view, progress }, customer, { withAdditional: false, lockoutToReset: failuresSinceSuccess > 0 || answerDue, alongside: positionsForgotten });
}
