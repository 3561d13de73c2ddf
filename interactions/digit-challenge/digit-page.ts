import type { Context } from 'koa';
import { html } from '../../src/shared/html.js';
import { bankNameFor, type FlowDeps } from '../flow-deps.js';
import type { InteractionView } from '../interaction-context.js';
import { renderStepPage } from '../step-page.js';

export function renderDigitPage(ctx: Context, deps: FlowDeps, view: InteractionView, error?: string, status?: number): void {
  const t = view.texts.digits;
  const positions = view.progress.positions ?? [];
  renderStepPage(ctx, view, bankNameFor(deps.app, view.locale), {
    title: t.title,
    action: `/interaction/${view.uid}/digits`,
    submitLabel: view.texts.next,
    error,
    ...(status ? { status } : {}),
    body: html`<h2>${t.heading}</h2>
<p>${t.lead}</p>
<div class="digit-inputs">
${positions.map(
  (position) => html`<div class="digit-input"><label for="digit-${position}">${t.label(position)}</label>
<input type="text" id="digit-${position}" name="digit_${position}" inputmode="numeric" autocomplete="off" maxlength="1" required></div>`,
)}
</div>`,
  });
}
