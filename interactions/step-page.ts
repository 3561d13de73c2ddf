import type { Context } from 'koa';
import { html, renderPage, type SafeHtml } from '../src/shared/html.js';
import { CONTENT_SECURITY_POLICY } from '../src/shared/security-headers.js';
import { formActionSources, type InteractionView } from './interaction-context.js';

export interface StepPage {
  readonly title: string;
  /** form fields (and any text) of the step */
  readonly body: SafeHtml;
  readonly action: string;
  readonly submitLabel: string;
  readonly error?: string | undefined;
  readonly status?: number;
  /** shown after the form (notes, links) */
  readonly footer?: SafeHtml;
}

/**
 * One screen of the flow: partner name, optional error, the step's form with its CSRF token,
 * and 中止する as a separate form (so Enter submits the step, and cancelling sends no secrets).
 */
export function renderStepPage(ctx: Context, view: InteractionView, bankName: string, page: StepPage): void {
  const { texts, uid, progress } = view;
  const csrf = html`<input type="hidden" name="csrf" value="${progress.csrf}">`;
  ctx.status = page.status ?? 200;
  ctx.set('Content-Security-Policy', `${CONTENT_SECURITY_POLICY}; form-action ${formActionSources(view.redirectUris)}`);
  ctx.type = 'html';
  ctx.body = renderPage({
    locale: view.locale,
    title: page.title,
    bankName,
    body: html`<h1>${page.title}</h1>
<p class="partner">${texts.partner}: <strong class="partner-name">${view.partnerName}</strong></p>
${page.error ? html`<p class="error-message" role="alert">${page.error}</p>` : ''}
<form id="step-form" method="post" action="${page.action}">
${csrf}
${page.body}
<div class="actions">
<button type="submit" class="secondary" form="cancel-form">${texts.cancel}</button>
<button type="submit" class="primary">${page.submitLabel}</button>
</div>
</form>
<form id="cancel-form" method="post" action="/interaction/${uid}/abort">${csrf}</form>
${page.footer ?? ''}`,
  });
}
