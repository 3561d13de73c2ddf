import type { Context } from 'koa';

/** No inline script, nothing from elsewhere, never framed. Pages with forms add their form-action. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

export type HeaderList = readonly (readonly [string, string])[];

/**
 * The headers of every public response. Set before the rest of the chain runs so that
 * oidc-provider can add the hash of its own inline script (form_post) to script-src.
 */
export function securityHeaders({ hsts }: { hsts: boolean }): HeaderList {
  return [
    ['Content-Security-Policy', CONTENT_SECURITY_POLICY],
    ['X-Content-Type-Options', 'nosniff'],
    ['X-Frame-Options', 'DENY'],
    ['Referrer-Policy', 'no-referrer'],
    ['Cross-Origin-Opener-Policy', 'same-origin'],
    ['Cache-Control', 'no-store'],
    // RFC 6749 §5.1: token responses carry it beside no-store (for HTTP/1.0 caches)
    ['Pragma', 'no-cache'],
    ...(hsts ? [['Strict-Transport-Security', 'max-age=63072000; includeSubDomains'] as const] : []),
  ];
}

/** A response any cache may keep for `seconds`, instead of every response's no-store (and its HTTP/1.0 Pragma). */
export function cachePublicly(ctx: Pick<Context, 'set' | 'remove'>, seconds: number): void {
  ctx.set('Cache-Control', `public, max-age=${seconds}`);
  ctx.remove('Pragma');
}

/** The public listener's headers: HSTS once the issuer is https. */
export function publicListenerHeaders(issuer: string): HeaderList {
  return securityHeaders({ hsts: issuer.startsWith('https://') });
}
