export type Locale = 'ja' | 'en';

/** The first supported language of an OIDC `ui_locales` list (space-separated BCP 47 tags); Japanese by default. */
export function pickLocale(uiLocales: unknown): Locale {
  if (typeof uiLocales !== 'string') return 'ja';
  for (const tag of uiLocales.trim().split(/\s+/)) {
    const language = tag.toLowerCase().split('-')[0];
    if (language === 'ja' || language === 'en') return language;
  }
  return 'ja';
}
