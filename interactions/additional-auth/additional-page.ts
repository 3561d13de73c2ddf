import type { Context } from 'koa';
import type { Customer } from '../../src/accounts/customer.js';
import { html } from '../../src/shared/html.js';
import { STEP_ERROR_ID } from '../auth/form-fields.js';
import { bankNameFor, type FlowDeps } from '../flow-deps.js';
import type { InteractionView } from '../interaction-context.js';
import { asStepError, renderLockedStep, renderStepPage, type StepError } from '../step-page.js';
import { withAttemptsLeft } from '../step-warnings.js';

/**
 * 追加認証入力: the customer's secret question and a 回答 input (a locked customer gets the locked
 * page). `customer`: the interaction's customer as the store holds it now.
 */
export async function renderAdditionalPage(
  ctx: Context,
  deps: FlowDeps,
  view: InteractionView,
  customer: Customer | undefined,
  error?: string | StepError,
  status?: number,
): Promise<void> {
  const t = view.texts.additional;
  const bankName = bankNameFor(deps.app, view.locale);
  const question = customer?.question ?? '';
  if (customer?.status === 'locked') return renderLockedStep(ctx, view, bankName, t.title, deps.app.settings.config.bank.contact);
  const stepError = customer ? await withAttemptsLeft(deps.app, customer, error) : asStepError(error);
  const describedBy = stepError ? `answer-hint ${STEP_ERROR_ID}` : 'answer-hint';
  renderStepPage(ctx, view, bankName, {
    title: t.title,
    action: `/interaction/${view.uid}/additional`,
    submitLabel: view.texts.next,
    error: stepError,
    ...(status ? { status } : {}),
    body: html`<h2>${t.heading}</h2>
<p>${t.lead}</p>
<dl class="question"><dt>${t.question}</dt><dd>${question}</dd></dl>
<label for="answer">${t.answer}</label>
<input type="text" id="answer" name="answer" autocomplete="off" maxlength="16" required aria-describedby="${describedBy}"${stepError ? html` aria-invalid="true" autofocus` : ''}>
<p id="answer-hint" class="hint">${t.hint}</p>`,
  });
}
