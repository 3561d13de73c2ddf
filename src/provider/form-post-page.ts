import type { Context, Middleware } from 'koa';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { RenkeiConfig } from '../settings/types.js';
import { AUTOSUBMIT_SCRIPT_PATH, html, renderPage } from '../shared/html.js';
import { bankNameIn, requestLocale } from '../shared/locale.js';
import { CONTENT_SECURITY_POLICY } from '../shared/security-headers.js';
import { rememberLogoutLanguage } from './logout-pages.js';
import { memoAtResume } from './provider-endpoints.js';

// oidc-provider 9's self-submitting page (lib/response_modes/form_post.js), which it answers for
// response_mode=form_post (and form_post.jwt) and at the end-session endpoint when there is no
// session to confirm: English, and without JavaScript nothing but "Continue".
const MARK = '<title>Submitting Callback</title>';
const ACTION = /<form method="post" action="([^"]*)">/;
const HIDDEN_INPUT = /<input type="hidden" name="([^"]*)" value="([^"]*)"\/>/g;
const ENTITIES: Readonly<Record<string, string>> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };
const unescape = (text: string) => text.replace(/&(?:amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity]!);

const TEXTS = {
  ja: {
    toPartner: { title: (partner: string) => `${partner}に戻ります`, hint: '自動的に移動しない場合は、「連携先に戻る」ボタンを押してください。', button: () => '連携先に戻る' },
    logout: { title: () => 'ログアウト', hint: '自動的に進まない場合は、「ログアウトする」ボタンを押してください。', button: () => 'ログアウトする' },
  },
  en: {
    toPartner: { title: (partner: string) => `Returning to ${partner}`, hint: 'If nothing happens, press the button below.', button: (partner: string) => `Return to ${partner}` },
    logout: { title: () => 'Log out', hint: 'If nothing happens, press the button below.', button: () => 'Log out' },
  },
} as const;

interface SubmittingForm {
  readonly action: string;
  readonly fields: readonly (readonly [string, string])[];
}

/** The parameters oidc-provider's self-submitting page posts (a form_post authorization response), if the body is one. */
export function postedParameters(body: unknown): URLSearchParams | undefined {
  const form = submittingForm(body);
  return form ? new URLSearchParams(form.fields.map(([name, value]): [string, string] => [name, value])) : undefined;
}

function submittingForm(body: unknown): SubmittingForm | undefined {
  if (typeof body !== 'string' || !body.includes(MARK)) return undefined;
  const action = ACTION.exec(body)?.[1];
  if (action === undefined) return undefined;
  return { action: unescape(action), fields: [...body.matchAll(HIDDEN_INPUT)].map((m) => [unescape(m[1]!), unescape(m[2]!)] as const) };
}

/**
 * That page as one of ours, in the customer's language: what is happening, the same form with a
 * button that says where it goes, submitted at once by a script of our own (script-src 'self', so
 * the CSP loses the inline script's hash).
 */
export function formPostPage(config: RenkeiConfig): Middleware {
  return async (ctx: Context, next) => {
    await next();
    const form = submittingForm(ctx.body);
    if (!form) return;
    const { oidc } = ctx as unknown as KoaContextWithOIDC;
    // at the resume step, the language the interaction chose (its memo); else the request's choice
    const locale = memoAtResume(ctx)?.locale ?? requestLocale(ctx, oidc?.params?.ui_locales);
    const partner = oidc?.client?.clientName ?? (locale === 'ja' ? '連携先' : 'the service');
    const loggingOut = oidc?.route === 'end_session';
    if (loggingOut) rememberLogoutLanguage(ctx as unknown as KoaContextWithOIDC, locale);
    const texts = loggingOut ? TEXTS[locale].logout : TEXTS[locale].toPartner;
    ctx.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    ctx.type = 'html';
    ctx.body = renderPage({
      locale,
      title: texts.title(partner),
      bankName: bankNameIn(config.bank, locale),
      body: html`<h1>${texts.title(partner)}</h1><p>${texts.hint}</p>
<form id="autosubmit" method="post" action="${form.action}">${form.fields.map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}
<div class="actions"><button type="submit" class="primary">${texts.button(partner)}</button></div></form>
<script src="${AUTOSUBMIT_SCRIPT_PATH}"></script>`,
    });
  };
}
