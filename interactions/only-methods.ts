import type { Context, Middleware } from 'koa';

/**
 * At a path that takes only `methods` (a step's form: POST; an interaction's address: GET, HEAD):
 * those go on; OPTIONS answers 204 and any other method 405 (`refuse` renders the page), both with
 * that Allow — not the router's own, which would list methods the path refuses too.
 */
export function onlyMethods(methods: readonly string[], refuse: (ctx: Context) => void): Middleware {
  const allow = methods.join(', ');
  return (ctx, next) => {
    if (methods.includes(ctx.method)) return next();
    ctx.set('Allow', allow);
    if (ctx.method === 'OPTIONS') ctx.status = 204;
    else refuse(ctx);
    return Promise.resolve();
  };
}
