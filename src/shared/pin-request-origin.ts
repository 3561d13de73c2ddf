import type Koa from 'koa';

/**
 * The path and query of a request target, also when a client sent it in another form: absolute
 * with any scheme Node's parser lets through (`munity://x/…` would otherwise be glued to the
 * issuer's origin and change its host), or none a URL can be made of (`*`).
 */
function pathAndQuery(originalUrl: string): string {
  if (originalUrl.startsWith('/')) return originalUrl;
  const parsed = URL.parse(originalUrl);
  return parsed && parsed.pathname.startsWith('/') ? `${parsed.pathname}${parsed.search}` : '/';
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
