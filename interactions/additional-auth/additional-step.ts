import type { Context } from 'koa';
import { readAnswer } from '../../src/accounts/customer-reads.js';
import { DeviceRegistry } from '../../src/accounts/device-registry.js';
import { recordFactorFailure } from '../auth/record-failure.js';
import { finishLogin, redirectToCurrentStep } from '../finish-login.js';
import type { FlowDeps } from '../flow-deps.js';
import type { InteractionView } from '../interaction-context.js';
import { renderAdditionalPage } from './additional-page.js';
import { DEVICE_COOKIE, setDeviceCookie } from './device-cookie.js';

/** The secret answer (NFKC, case and kana folding); passing it remembers this browser for the customer. */
export async function submitAdditional(ctx: Context, deps: FlowDeps, view: InteractionView, form: ReadonlyMap<string, string>): Promise<void> {
  const { app } = deps;
  const sub = view.progress.sub!;
  // read, verified and counted as one check of the customer at a time (factor-checks.ts)
  const checked = await app.factorChecks.run(`customer:${sub}`, async () => {
    // with the count and mark this success resets (none to reset when both are clear)
    const { customer, failuresSinceSuccess, answerDue } = await readAnswer(app.store.kv, sub);
    const lockoutToReset = failuresSinceSuccess > 0 || answerDue;
    if (!customer || customer.status === 'locked') return { customer, lockoutToReset, passed: false };
    if (await app.customers.verifyAnswer(customer, form.get('answer') ?? '')) return { customer, lockoutToReset, passed: true };
    await recordFactorFailure(app, { ip: ctx.ip, client_id: view.clientId, interaction_id: view.uid }, customer, 'additional_auth.failure', 'wrong_answer');
    return { customer, lockoutToReset, passed: false };
  });
  const { customer, lockoutToReset } = checked;
  if (!customer) return redirectToCurrentStep(ctx, view.uid);
  if (customer.status === 'locked') return renderAdditionalPage(ctx, deps, view, customer);
  if (!checked.passed) {
    // a failure that locked the account shows the locked page: the customer's status is read again
    return renderAdditionalPage(ctx, deps, view, await app.customers.findBySub(customer.sub), view.texts.additional.failed, 401);
  }

  app.audit('additional_auth.success', { login_id: customer.loginId, sub: customer.sub, client_id: view.clientId, ip: ctx.ip, interaction_id: view.uid });
  const deviceId = ctx.cookies.get(DEVICE_COOKIE, { signed: true }) ?? DeviceRegistry.newDeviceId();
  const deviceRemembered = app.devices.remember(customer.sub, deviceId);
  setDeviceCookie(ctx, deviceId, app.devices.ttlSeconds);
  // finishing the login records this step's progress, once, as the interaction's last
  const progress = { ...view.progress, additionalAt: Date.now() };
  await finishLogin(ctx, deps, { ...view, progress }, customer, { withAdditional: true, lockoutToReset, alongside: deviceRemembered });
}
