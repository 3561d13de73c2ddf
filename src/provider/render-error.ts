import type { Configuration } from 'oidc-provider';
import { errors } from 'oidc-provider';
import { renderErrorPage } from '../shared/error-page.js';
import { bankNameIn, requestLocale } from '../shared/locale.js';
import { partnerReturnOf, returnToPartnerFor, type PartnerReturn } from '../shared/return-to-partner.js';
import type { RenkeiConfig } from '../settings/types.js';
import { memoAtResume, PROVIDER_PATHS, resumedInteraction } from './provider-endpoints.js';

/**
 * The routes a browser is sent to (authorization and its resume, logout). Every other endpoint is
 * an API: its errors stay JSON (RFC 6749 §5.2) whatever `Accept` asks for, so that a client, and
 * the failure budgets that read the error code, always get `{ error }`.
 */
const BROWSER_ROUTES = new Set(['authorization', 'resume', 'end_session', 'end_session_confirm', 'end_session_success']);

/**
 * An authorization request that named its partner but no redirect_uri of its own (a pushed
 * request's `request_uri` that is used up or expired): the partner's one registered redirect_uri
 * is where it would have been answered (RFC 6749 §3.1.2.3), so 連携先に戻る leads there, without
 * state. A partner with several has no way back to offer.
 */
function soleRedirectReturn(ctx: Parameters<NonNullable<Configuration['renderError']>>[0]): PartnerReturn | undefined {
  const { route, client, params } = ctx.oidc ?? {};
  if (route !== 'authorization' || !client || params?.redirect_uri !== undefined || client.redirectUris?.length !== 1) return undefined;
  return partnerReturnOf({ redirect_uri: client.redirectUris[0] }, { clientId: client.clientId, partnerName: client.clientName ?? client.clientId, redirectUris: client.redirectUris });
}

/**
 * oidc-provider's HTML errors (requests that cannot be redirected) rendered as our error page:
 * the error code and the お問い合わせ番号, never oidc-provider's error_description. At the resume
 * step of an interaction (the store away, the interaction gone) the page keeps the interaction's
 * language and offers 連携先に戻る, from the memo the interaction's screens gave the browser.
 */
export function createRenderError(config: RenkeiConfig): NonNullable<Configuration['renderError']> {
  return async (ctx, out, error) => {
    const route = ctx.oidc?.route;
    if (route !== undefined && !BROWSER_ROUTES.has(route)) {
      ctx.type = 'json';
      ctx.body = out;
      return;
    }
    const memo = memoAtResume(ctx);
    const locale = memo?.locale ?? requestLocale(ctx, ctx.oidc?.params?.ui_locales ?? ctx.query.ui_locales);
    const status = (error as { status?: number }).status ?? ctx.status ?? 400;
    const reason = memo && error instanceof errors.SessionNotFound ? 'expired' : undefined;
    const issuer = ctx.oidc?.provider.issuer;
    // the wait the store's 503 announces (Retry-After), said in words
    const { retryAfterSeconds } = error as { retryAfterSeconds?: unknown };
    const returnTo = issuer ? returnToPartnerFor(issuer, memo?.partnerReturn ?? soleRedirectReturn(ctx))(status, reason) : undefined;
    // the resume of an interaction this browser began: もう一度試す on a 503 is the same GET again
    const resumed = memo ? resumedInteraction(ctx.path) : undefined;
    ctx.type = 'html';
    ctx.body = renderErrorPage({
      status,
      locale,
      bankName: bankNameIn(config.bank, locale),
      contact: config.bank.contact,
      error: out.error,
      requestId: ctx.state.requestId as string | undefined,
      ...(reason ? { reason } : {}),
      ...(typeof retryAfterSeconds === 'number' ? { retryAfterSeconds } : {}),
      ...(returnTo ? { returnTo } : {}),
      ...(resumed ? { retryAt: `${PROVIDER_PATHS.authorization}/${resumed}?ui_locales=${locale}` } : {}),
    });
  };
}
