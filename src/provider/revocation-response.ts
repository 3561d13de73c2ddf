import type { Middleware } from 'koa';

/**
 * RFC 7009 §2.2: a successful revocation is an empty 200. oidc-provider sends it as text/plain,
 * which relying-party libraries expecting JSON or nothing (oidc-client-ts) refuse: it goes out
 * with no Content-Type. At the revocation endpoint (dispatchByEndpoint runs it there only).
 */
export function untypedRevocationSuccess(): Middleware {
  return async (ctx, next) => {
    await next();
    if (ctx.status === 200 && ctx.body === '') ctx.remove('Content-Type');
  };
}
