import type { Context, Middleware, Next } from 'koa';
import { routePath } from './provider-endpoints.js';

/**
 * RFC 7009 §2.2: a successful revocation is an empty 200. oidc-provider sends it as text/plain,
 * which relying-party libraries expecting JSON or nothing (oidc-client-ts) refuse: it goes out
 * with no Content-Type.
 */
export function untypedRevocationSuccess(revocationPath: string): Middleware {
  const served = routePath(revocationPath);
  const untyped = async (ctx: Context, next: Next) => {
    await next();
    if (ctx.status === 200 && ctx.body === '') ctx.remove('Content-Type');
  };
  return (ctx, next) => (routePath(ctx.path) === served ? untyped(ctx, next) : next());
}
