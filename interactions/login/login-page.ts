import type { Context } from 'koa';
import { html } from '../../src/shared/html.js';
import { loginFields } from '../auth/form-fields.js';
import { bankNameFor, type FlowDeps } from '../flow-deps.js';
import type { InteractionView } from '../interaction-context.js';
import { renderStepPage } from '../step-page.js';

export function renderLoginPage(ctx: Context, deps: FlowDeps, view: InteractionView, error?: string, status?: number): void {
  const t = view.texts.login;
  renderStepPage(ctx, view, bankNameFor(deps.app, view.locale), {
    title: t.title,
    action: `/interaction/${view.uid}/login`,
    submitLabel: t.submit,
    error,
    ...(status ? { status } : {}),
    body: html`<p>${t.lead}</p>
${loginFields(view.texts)}`,
    footer: html`<section class="notice" aria-labelledby="notice-title">
<h2 id="notice-title">${t.noticeTitle}</h2>
<ul>${t.notice(view.partnerName).map((line) => html`<li>${line}</li>`)}</ul>
<p><a href="${deps.app.settings.config.links.apiTermsUrl}" rel="noopener noreferrer" target="_blank">${t.disclaimer}</a> ${t.disclaimerNote}</p>
</section>`,
  });
}
