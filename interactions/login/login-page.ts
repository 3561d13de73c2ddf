import type { Context } from 'koa';
import { html } from '../../src/shared/html.js';
import { loginFields } from '../auth/form-fields.js';
import { bankNameFor, type FlowDeps } from '../flow-deps.js';
import type { InteractionView } from '../interaction-context.js';
import { asStepError, renderStepPage, type StepError } from '../step-page.js';

/** ログインID + ログインパスワード, the ※注意事項※ of the manual and the 免責事項 with the API利用規定. */
export function renderLoginPage(
  ctx: Context,
  deps: FlowDeps,
  view: InteractionView,
  error?: string | StepError,
  status?: number,
  loginId?: string,
): void {
  const t = view.texts.login;
  const stepError = asStepError(error);
  renderStepPage(ctx, view, bankNameFor(deps.app, view.locale), {
    title: t.title,
    action: `/interaction/${view.uid}/login`,
    submitLabel: t.submit,
    error: stepError,
    ...(status ? { status } : {}),
    body: html`<p>${t.lead}</p>
${loginFields(view.texts, { invalid: stepError !== undefined, loginId })}`,
    footer: html`<section class="notice" aria-labelledby="notice-title">
<h2 id="notice-title">${t.noticeTitle}</h2>
${t.notice.map((line) => html`<p>${line}</p>`)}
</section>
<section class="disclaimer" aria-labelledby="disclaimer-title">
<h2 id="disclaimer-title">${t.disclaimer}</h2>
<p><a href="${deps.app.settings.config.links.apiTermsUrl}" rel="noopener noreferrer" target="_blank" aria-describedby="terms-new-tab">${t.termsLink}</a> <span id="terms-new-tab" class="new-tab">${t.opensNewTab}</span></p>
</section>`,
  });
}
