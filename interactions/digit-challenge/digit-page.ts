import type { Context } from 'koa';
import { digitFields } from '../auth/form-fields.js';
import { bankNameFor, type FlowDeps } from '../flow-deps.js';
import type { InteractionView } from '../interaction-context.js';
import { renderStepPage } from '../step-page.js';

export function renderDigitPage(ctx: Context, deps: FlowDeps, view: InteractionView, error?: string, status?: number): void {
  const t = view.texts.digits;
  renderStepPage(ctx, view, bankNameFor(deps.app, view.locale), {
    title: t.title,
    action: `/interaction/${view.uid}/digits`,
    submitLabel: view.texts.next,
    error,
    ...(status ? { status } : {}),
    body: digitFields(view.texts, view.progress.positions ?? []),
  });
}
