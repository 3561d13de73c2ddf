import type { Context, Middleware, Next } from 'koa';
import { rememberInteraction } from '../shared/interaction-memo.js';
import { requestLocale } from '../shared/locale.js';
import { partnerReturnOf } from '../shared/return-to-partner.js';
import { interactionAt } from './provider-endpoints.js';

interface StartedAuthorization {
  readonly params?: Readonly<Record<string, unknown>>;
  readonly client?: { readonly clientId: string; readonly clientName?: string | undefined; readonly redirectUris?: readonly string[] | undefined };
}

/**
 * The interaction's language and way back are handed to the browser as the authorization request
 * sends it to its first screen, so that even that screen, if the store is away by then, can answer
 * in the customer's language with 連携先に戻る. The screens renew the memo (interaction-context).
 */
export function rememberInteractionAtStart(authorizationPath: string): Middleware {
  return (ctx, next) => (ctx.path === authorizationPath ? remember(ctx, next, authorizationPath) : next());
}

async function remember(ctx: Context, next: Next, authorizationPath: string): Promise<void> {
  await next();
  const uid = interactionAt(ctx.response.get('location'));
  const { params, client } = (ctx.oidc ?? {}) as StartedAuthorization;
  if (!uid || !params || !client) return;
  const partnerReturn = partnerReturnOf(params, { clientId: client.clientId, partnerName: client.clientName ?? client.clientId, redirectUris: client.redirectUris ?? [] });
  rememberInteraction(ctx, uid, { locale: requestLocale(ctx, params.ui_locales), partnerReturn }, authorizationPath);
}
