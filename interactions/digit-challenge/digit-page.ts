import type { Context } from 'koa';
import { digitFields } from '../auth/form-fields.js';
import { bankNameFor, type FlowDeps } from '../flow-deps.js';
import type { InteractionView } from '../interaction-context.js';
import { asStepError, renderLockedStep, renderStepPage, type StepError } from '../step-page.js';
import { withAttemptsLeft } from '../step-warnings.js';

/**
 * 入力桁数の指定 / 利用者番号を入力 at the positions chosen for this customer. A locked customer
 * gets the final locked page instead, whatever brought them here.
 */
export async function renderDigitPage(ctx: Context, deps: FlowDeps, view: InteractionView, error?: string | StepError, status?: number): Promise<void> {
  const t = view.texts.digits;
  const bankName = bankNameFor(deps.app, view.locale);
  // the customer's standing (as the token paths read it: held per instance, dropped on every change), not the record
  const standing = view.progress.sub ? await deps.app.customers.standingOf(view.progress.sub) : undefined;
  if (standing?.status === 'locked') return renderLockedStep(ctx, view, bankName, t.title, deps.app.settings.config.bank.contact);
  const stepError = standing ? await withAttemptsLeft(deps.app, standing, error) : asStepError(error);
  renderStepPage(ctx, view, bankName, {
    title: t.title,
    action: `/interaction/${view.uid}/digits`,
    submitLabel: view.texts.next,
    error: stepError,
    ...(status ? { status } : {}),
    body: digitFields(view.texts, view.progress.positions ?? [], { invalid: stepError !== undefined }),
  });
}
