import { describe, expect, it } from '@jest/globals';
import { requestLocale, supportedUiLocale } from '../../../src/shared/locale.js';

/** The part of a koa context requestLocale reads, with koa's negotiation stood in by a fixed answer. */
const request = (uiLocales: unknown, accepted: string | false) => ({ query: { ui_locales: uiLocales }, acceptsLanguages: () => accepted }) as never;

describe('the customer’s language (SPEC §3: ui_locales, else Accept-Language, else Japanese)', () => {
  it('takes the first supported tag of ui_locales', () => {
    expect(supportedUiLocale('fr en-GB ja')).toBe('en');
    expect(supportedUiLocale('ja-JP')).toBe('ja');
    expect(supportedUiLocale('fr de')).toBeUndefined();
    expect(supportedUiLocale(['en'])).toBeUndefined();
  });

  it('falls back to Accept-Language, then Japanese', () => {
    expect(requestLocale(request('en', 'ja'), 'en')).toBe('en');
    expect(requestLocale(request(undefined, 'en'), undefined)).toBe('en');
    expect(requestLocale(request('fr', 'en'), 'fr')).toBe('en');
    expect(requestLocale(request(undefined, false), undefined)).toBe('ja');
  });
});
