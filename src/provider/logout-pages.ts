import Router from '@koa/router';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { html, renderPage, SafeHtml } from '../shared/html.js';
import { backButton, returnToPartnerButton } from '../shared/error-page.js';
import { connectionsHomeIn } from '../../interactions/connections/connections-home.js';
import { bankNameIn, requestLocale, type Locale } from '../shared/locale.js';
import type { RenkeiConfig } from '../settings/types.js';

const TEXTS = {
  ja: { title: 'ログアウト', ask: 'ログアウトしますか？', yes: 'ログアウトする', no: 'ログアウトしない', done: 'ログアウトしました。', kept: 'ログアウトしませんでした。', connections: '連携サービス管理へ', doneAt: (partner: string) => `ログアウトしませんでした。${partner}からのログアウトのみ受け付けました。` },
  en: { title: 'Log out', ask: 'Do you want to log out?', yes: 'Log out', no: 'Stay logged in', done: 'You have logged out.', kept: 'You have not logged out.', connections: 'Go to Connected services', doneAt: (partner: string) => `You have not logged out. Only your sign-in to ${partner} has ended.` },
} as const;

const LOGOUT_LANGUAGE_COOKIE = 'renkei_logout_lang';
/** Where ログアウトしない leads when no partner asked for the logout: oidc-provider would do nothing and say nothing of it. */
export const LOGOUT_KEPT_PATH = '/session/end/kept';

/**
 * The language the logout was asked in (`ui_locales`, else the browser's), kept for its last page:
 * oidc-provider sends the browser from the confirmation on to /session/end/success without the
 * request's parameters. Not a secret (a language), so a plain cookie; a value that is not one of
 * ours is ignored.
 */
export function rememberLogoutLanguage(ctx: KoaContextWithOIDC, locale: Locale): void {
  ctx.cookies.set(LOGOUT_LANGUAGE_COOKIE, locale, { httpOnly: true, sameSite: 'lax', secure: ctx.secure, path: '/session/end', maxAge: 3_600_000 });
}

const logoutLanguage = (ctx: KoaContextWithOIDC): Locale => requestLocale(ctx, ctx.cookies.get(LOGOUT_LANGUAGE_COOKIE) ?? ctx.oidc.params?.ui_locales);

/** No dead end where no partner can be returned to: the bank's own page for the customer's connections. */
const connectionsButton = (locale: Locale): SafeHtml =>
  backButton({ url: connectionsHomeIn(locale), label: TEXTS[locale].connections });

/**
 * When the page knows the partner (oidc-provider passes its client_id) and the partner registered
 * a post-logout redirect URI, `連携先に戻る` leads there (no state: the partner named none).
 */
function returnButton(ctx: KoaContextWithOIDC, locale: Locale): SafeHtml {
  const client = ctx.oidc.client;
  const url = client?.postLogoutRedirectUris?.[0];
  return client && url ? returnToPartnerButton({ partnerName: client.clientName ?? client.clientId, url }, locale) : connectionsButton(locale);
}

/**
 * RP-initiated logout screens in our layout (no inline script: the provider's form is submitted by
 * buttons), in the language of `ui_locales`, else the browser's, else Japanese, as every other page.
 */
export function logoutPages(config: RenkeiConfig) {
  const bankName = (locale: Locale) => bankNameIn(config.bank, locale);
  return {
    async logoutSource(ctx: KoaContextWithOIDC, form: string) {
      const locale = requestLocale(ctx, ctx.oidc.params?.ui_locales);
      rememberLogoutLanguage(ctx, locale);
      const t = TEXTS[locale];
      ctx.type = 'html';
      ctx.body = renderPage({
        locale,
        title: t.title,
        bankName: bankName(locale),
        // ログアウトしない: with a partner named, oidc-provider's form ends that partner's part of the
        // session; with none, it would change nothing and go on to the logged-out page, so it leads to ours
        body: html`<h1>${t.title}</h1><p>${t.ask}</p>${new SafeHtml(form)}${ctx.oidc.client ? '' : html`<form id="stay" method="get" action="${LOGOUT_KEPT_PATH}"><input type="hidden" name="ui_locales" value="${locale}"></form>`}
<div class="actions"><button class="secondary" type="submit" form="${ctx.oidc.client ? 'op.logoutForm' : 'stay'}">${t.no}</button>
<button class="primary" type="submit" form="op.logoutForm" name="logout" value="yes">${t.yes}</button></div>`,
      });
    },
    async postLogoutSuccessSource(ctx: KoaContextWithOIDC) {
      const locale = logoutLanguage(ctx);
      const t = TEXTS[locale];
      ctx.type = 'html';
      // oidc-provider names the partner here only after ログアウトしない: the partner's own logout
      // went ahead (it asked for it), the customer's choice kept the rest
      const client = ctx.oidc.client;
      const done = client ? t.doneAt(client.clientName ?? client.clientId) : t.done;
      ctx.body = renderPage({ locale, title: t.title, bankName: bankName(locale), body: html`<h1>${t.title}</h1><p>${done}</p>${returnButton(ctx, locale)}` });
    },
  };
}

/** The page ログアウトしない leads to when no partner asked for the logout: nothing was done, and it says so. */
export function logoutKeptRoutes(config: RenkeiConfig): Router {
  const router = new Router();
  router.get(LOGOUT_KEPT_PATH, (ctx) => {
    const locale = requestLocale(ctx, ctx.query.ui_locales ?? ctx.cookies.get(LOGOUT_LANGUAGE_COOKIE));
    const t = TEXTS[locale];
    ctx.type = 'html';
    ctx.body = renderPage({ locale, title: t.title, bankName: bankNameIn(config.bank, locale), body: html`<h1>${t.title}</h1><p>${t.kept}</p>${connectionsButton(locale)}` });
  });
  return router;
}
