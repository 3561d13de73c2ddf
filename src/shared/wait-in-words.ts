import type { Locale } from './locale.js';

/**
 * A wait announced in Retry-After, as the customer would say it: `約5分後に` / `in about 5 minutes`.
 * Rounded up, so the customer never comes back too early.
 */
export function waitInWords(seconds: number, locale: Locale): string {
  const [count, unit] = seconds < 60 ? [Math.ceil(seconds), 'second'] as const
    : seconds < 3600 ? [Math.ceil(seconds / 60), 'minute'] as const
    : [Math.ceil(seconds / 3600), 'hour'] as const;
  if (locale === 'ja') return `約${count}${{ second: '秒', minute: '分', hour: '時間' }[unit]}後に`;
  return `in about ${count} ${unit}${count === 1 ? '' : 's'}`;
}
