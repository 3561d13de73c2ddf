import type { Context, Middleware } from 'koa';

/**
 * At a path that takes POST only (a step's form): POST goes on; OPTIONS answers 204 and any other
 * method 405 (`refuse` renders the page), both with `Allow: POST` — not the router's own Allow,
 * which would list the GET and HEAD that are refused here too.
 */
export function postOnly(refuse: (ctx: Context) => void): Middleware {
  return (ctx, next) => {
    if (ctx.method === 'POST') return next();
    ctx.set('Allow', 'POST');
    if (ctx.method === 'OPTIONS') ctx.status = 204;
    else refuse(ctx);
    return Promise.resolve();
  };
}
