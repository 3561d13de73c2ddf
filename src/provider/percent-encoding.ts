import type { Context, Middleware } from 'koa';

const UTF8 = new TextDecoder('utf-8', { fatal: true });
const ESCAPED_RUN = /(?:%[0-9A-Fa-f]{2})+/g;

export const MALFORMED_PARAMETERS = 'a parameter is percent-encoded as bytes that are not UTF-8 (RFC 3986 §2.5): it could not be read, nor returned as it was sent';

/**
 * Whether every run of percent-escapes in a query or form is UTF-8 once decoded. Node's query
 * parsing puts U+FFFD where it is not, so a `state` sent that way came back to the partner other
 * than it was sent (RFC 6749 §4.1.2 wants it exactly); such a request is refused instead. A `%`
 * that starts no escape stays a `%`, as before.
 */
export function escapesAreUtf8(encoded: string): boolean {
  if (!encoded.includes('%')) return true;
  for (const [run] of encoded.matchAll(ESCAPED_RUN)) {
    try {
      UTF8.decode(Buffer.from(run.replaceAll('%', ''), 'hex'));
    } catch {
      return false;
    }
  }
  return true;
}

/** At the authorization endpoint (a POSTed form is checked as formPostAsGet reads it): an error page, as for any request that cannot be answered at its redirect_uri. */
export function refuseMalformedQuery(refuse: (ctx: Context, status: number, description: string) => void): Middleware {
  return (ctx, next) => (escapesAreUtf8(ctx.querystring) ? next() : refuse(ctx, 400, MALFORMED_PARAMETERS));
}
