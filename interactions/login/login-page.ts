import type { Context } from 'koa';
import { html } from '../../src/shared/html.js';
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
<label for="login-id">${t.loginId}</label>
<input type="text" id="login-id" name="login_id" autocomplete="username" autocapitalize="none" spellcheck="false" maxlength="64" required>
<label for="password">${t.password}</label>
<input type="password" id="password" name="password" autocomplete="current-password" maxlength="128" required>`,
    footer: html`<section class="notice" aria-labelledby="notice-title">
<h2 id="notice-title">${t.noticeTitle}</h2>
<ul>${t.notice(view.partnerName).map((line) => html`<li>${line}</li>`)}</ul>
<p><a href="${deps.app.settings.config.links.apiTermsUrl}" rel="noopener noreferrer" target="_blank">${t.disclaimer}</a> ${t.disclaimerNote}</p>
</section>`,
  });
}
