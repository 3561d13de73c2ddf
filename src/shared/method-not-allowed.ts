import type { Context, Middleware } from 'koa';

/**
 * Our routers answer a wrong method with 405 and Allow but no body: API paths get the OAuth-style
 * JSON error, pages the customer's error page (`renderPage`). Their OPTIONS answer (200, an empty
 * text body, Allow) becomes 204 with Allow, as at oidc-provider's endpoints.
 */
export function describeMethodNotAllowed(apiPaths: readonly string[], renderPage: (ctx: Context) => void): Middleware {
  const api = new Set(apiPaths);
  return async (ctx, next) => {
    await next();
    if (ctx.method === 'OPTIONS' && ctx.status === 200 && ctx.response.get('Allow') && !ctx.body) {
      ctx.status = 204;
      return;
    }
    if (ctx.status !== 405 || (ctx.body !== undefined && ctx.body !== null)) return;
    if (api.has(ctx.path)) {
      ctx.status = 405;
      ctx.body = { error: 'invalid_request', error_description: `${ctx.method} is not allowed here; use ${ctx.response.get('Allow')}` };
    } else {
      renderPage(ctx);
    }
  };
}
