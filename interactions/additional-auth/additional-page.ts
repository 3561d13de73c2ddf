import type { Context } from 'koa';
import { html } from '../../src/shared/html.js';
import { bankNameFor, type FlowDeps } from '../flow-deps.js';
import type { InteractionView } from '../interaction-context.js';
import { renderStepPage } from '../step-page.js';

export function renderAdditionalPage(ctx: Context, deps: FlowDeps, view: InteractionView, question: string, error?: string, status?: number): void {
  const t = view.texts.additional;
  renderStepPage(ctx, view, bankNameFor(deps.app, view.locale), {
    title: t.title,
    action: `/interaction/${view.uid}/additional`,
    submitLabel: view.texts.next,
    error,
    ...(status ? { status } : {}),
    body: html`<h2>${t.heading}</h2>
<p>${t.lead}</p>
<dl class="question"><dt>${t.question}</dt><dd>${question}</dd></dl>
<label for="answer">${t.answer}</label>
<input type="text" id="answer" name="answer" autocomplete="off" maxlength="16" required aria-describedby="answer-hint">
<p id="answer-hint" class="hint">${t.hint}</p>`,
  });
}
