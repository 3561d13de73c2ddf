import type { Context } from 'koa';
import { useErrorContext } from '../src/shared/error-handler.js';
import { requestLocale, type Locale } from '../src/shared/locale.js';
import { bankNameFor, type FlowDeps } from './flow-deps.js';
import type { InteractionView } from './interaction-context.js';
import { recallInteraction, type InteractionMemo } from '../src/shared/interaction-memo.js';
import { returnToPartnerFor } from '../src/shared/return-to-partner.js';

/** もう一度試す on a 503 of an interaction's page or form: its current step, shown afresh (GET), in the page's language. */
function retryAtStep(ctx: Context, locale: Locale): string | undefined {
  return typeof ctx.params.uid === 'string' ? `/interaction/${encodeURIComponent(ctx.params.uid)}?ui_locales=${locale}` : undefined;
}

/** What this browser was given for the interaction of the path (its memo), and the language it says, else the request's. */
export function browserMemo(ctx: Context): { memo: InteractionMemo | undefined; locale: Locale } {
  const memo = typeof ctx.params.uid === 'string' ? recallInteraction(ctx, ctx.params.uid) : undefined;
  return { memo, locale: memo?.locale ?? requestLocale(ctx, ctx.query.ui_locales) };
}

/**
 * Error pages of an interaction that could not be read (expired, the store away): the language
 * and way back this browser was given when the interaction began, else the request's language.
 */
export function useBrowserMemoForErrors(ctx: Context, deps: FlowDeps): void {
  const { app } = deps;
  const { memo, locale } = browserMemo(ctx);
  useErrorContext(ctx, {
    locale,
    bankName: bankNameFor(app, locale),
    contact: app.settings.config.bank.contact,
    returnToFor: returnToPartnerFor(app.settings.issuer, memo?.partnerReturn),
    retryAt: retryAtStep(ctx, locale),
  });
}

/** Errors from here on are shown in the interaction's language, with the credit union's contact and 連携先に戻る. */
export function useInteractionForErrors(ctx: Context, deps: FlowDeps, view: InteractionView): void {
  const { app } = deps;
  useErrorContext(ctx, {
    locale: view.locale,
    bankName: bankNameFor(app, view.locale),
    contact: app.settings.config.bank.contact,
    returnToFor: returnToPartnerFor(app.settings.issuer, view.partnerReturn),
    retryAt: retryAtStep(ctx, view.locale),
  });
}
