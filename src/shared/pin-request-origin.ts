import type Koa from 'koa';

const ABSOLUTE_FORM = /^https?:\/\//i;

/** The path and query of a request target, also when a client sent it in absolute form. */
function pathAndQuery(originalUrl: string): string {
  if (!ABSOLUTE_FORM.test(originalUrl)) return originalUrl;
  const parsed = URL.parse(originalUrl);
  return parsed ? `${parsed.pathname}${parsed.search}` : '/';
}

/**
 * Makes a koa app (ours, and oidc-provider's, which is a koa app too) see every request as
 * addressed to the issuer: `host`, `protocol` (hence `secure`, the Secure cookie flag), `href`
 * and `URL` come from the issuer, never from `Host`, `X-Forwarded-Host`, `X-Forwarded-Proto` or
 * an absolute-form request target. oidc-provider builds discovery, jwks_uri and every redirect
 * from `ctx.href`, so this is where they are pinned. `app.proxy` still decides `ctx.ip`.
 */
export function pinRequestOrigin(app: Koa, issuer: string): void {
  const { protocol, host, hostname, origin } = new URL(issuer);
  const scheme = protocol.slice(0, -1);
  const memoized = new WeakMap<object, URL>();
  Object.defineProperties(app.request, {
    protocol: { configurable: true, get: () => scheme },
    host: { configurable: true, get: () => host },
    hostname: { configurable: true, get: () => hostname },
    href: {
      configurable: true,
      get(this: Koa.Request) {
        return `${origin}${pathAndQuery(this.originalUrl ?? '/')}`;
      },
    },
    URL: {
      configurable: true,
      get(this: Koa.Request) {
        let url = memoized.get(this);
        if (!url) {
          url = new URL(this.href);
          memoized.set(this, url);
        }
        return url;
      },
    },
  });
}
