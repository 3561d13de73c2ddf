import type { Context } from 'koa';
import { html, renderPage } from '../src/shared/html.js';
import { returnToPartnerButton } from '../src/shared/error-page.js';
import { returnToPartnerFor } from '../src/shared/return-to-partner.js';
import type { FlowDeps } from './flow-deps.js';
import { bankNameFor } from './flow-deps.js';
import { TEXTS } from './i18n.js';
import { browserMemo } from './interaction-errors.js';

/**
 * The screens of an interaction that handed the partner its code, opened again (Back after
 * 許可する): the connection is complete, in the interaction's language, with the partner's name
 * from its memo, and 連携先に戻る as on every page of an interaction (with what an interaction
 * that is gone answers, login_required: the partner already has its code for that state).
 */
export function showCompleted(ctx: Context, deps: FlowDeps): void {
  const { memo, locale } = browserMemo(ctx);
  const texts = TEXTS[locale];
  const partner = memo?.partnerReturn?.partnerName ?? texts.partner;
  const returnTo = returnToPartnerFor(deps.app.settings.issuer, memo?.partnerReturn)(400, 'expired');
  ctx.type = 'html';
  ctx.body = renderPage({
    locale,
    title: texts.completed.title,
    bankName: bankNameFor(deps.app, locale),
    body: html`<h1>${texts.completed.title}</h1><p>${texts.completed.body(partner)}</p>${returnTo ? returnToPartnerButton(returnTo, locale) : ''}`,
  });
}
