import type { Context } from 'koa';

export type Locale = 'ja' | 'en';

const SUPPORTED: readonly Locale[] = ['ja', 'en'];

/** The credit union's name as the pages of `locale` show it. */
export const bankNameIn = (bank: { readonly nameJa: string; readonly nameEn: string }, locale: Locale): string => (locale === 'ja' ? bank.nameJa : bank.nameEn);

/** The first supported language of an OIDC `ui_locales` list (space-separated BCP 47 tags), if any. */
export function supportedUiLocale(uiLocales: unknown): Locale | undefined {
  if (typeof uiLocales !== 'string') return undefined;
  for (const tag of uiLocales.trim().split(/\s+/)) {
    const language = tag.toLowerCase().split('-')[0];
    if (language === 'ja' || language === 'en') return language;
  }
  return undefined;
}

/**
 * SPEC §3: `ui_locales` (the authorization request's, else the URL's), else the browser's
 * `Accept-Language`, else Japanese.
 */
export function requestLocale(ctx: Pick<Context, 'query' | 'acceptsLanguages'>, uiLocales: unknown = ctx.query.ui_locales): Locale {
  const chosen = supportedUiLocale(uiLocales);
  if (chosen) return chosen;
  const accepted = ctx.acceptsLanguages(...SUPPORTED);
  return accepted === 'en' ? 'en' : 'ja';
}
