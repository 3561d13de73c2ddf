import type { KoaContextWithOIDC } from 'oidc-provider';
import { html, renderPage, SafeHtml } from '../shared/html.js';
import { requestLocale } from '../shared/locale.js';
import type { RenkeiConfig } from '../settings/types.js';

const TEXTS = {
  ja: { title: 'ログアウト', ask: 'ログアウトしますか？', yes: 'ログアウトする', no: 'ログアウトしない', done: 'ログアウトしました。' },
  en: { title: 'Sign out', ask: 'Do you want to sign out?', yes: 'Sign out', no: 'Stay signed in', done: 'You have signed out.' },
} as const;

/**
 * RP-initiated logout screens in our layout (no inline script: the provider's form is submitted by
 * buttons), in the language of `ui_locales`, else the browser's, else Japanese, as every other page.
 */
export function logoutPages(config: RenkeiConfig) {
  const bankName = (locale: 'ja' | 'en') => (locale === 'ja' ? config.bank.nameJa : config.bank.nameEn);
  return {
    async logoutSource(ctx: KoaContextWithOIDC, form: string) {
      const locale = requestLocale(ctx, ctx.oidc.params?.ui_locales);
      const t = TEXTS[locale];
      ctx.type = 'html';
      ctx.body = renderPage({
        locale,
        title: t.title,
        bankName: bankName(locale),
        body: html`<h1>${t.title}</h1><p>${t.ask}</p>${new SafeHtml(form)}
<div class="actions"><button class="secondary" type="submit" form="op.logoutForm">${t.no}</button>
<button class="primary" type="submit" form="op.logoutForm" name="logout" value="yes">${t.yes}</button></div>`,
      });
    },
    async postLogoutSuccessSource(ctx: KoaContextWithOIDC) {
      const locale = requestLocale(ctx, ctx.oidc.params?.ui_locales);
      const t = TEXTS[locale];
      ctx.type = 'html';
      ctx.body = renderPage({ locale, title: t.title, bankName: bankName(locale), body: html`<h1>${t.title}</h1><p>${t.done}</p>` });
    },
  };
}
