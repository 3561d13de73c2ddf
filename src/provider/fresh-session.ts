import type { Context, Middleware, Next } from 'koa';

const SESSION_COOKIE = /^_session(\.|$)/;

/**
 * Every authorization request authenticates afresh (SPEC §4), so it starts without the browser's
 * previous provider session: its cookies are dropped from the request to the authorization
 * endpoint (not from the resume step, which needs the session this request creates). Nobody is
 * then "still logged in" — prompt=none answers login_required — and a second customer on the same
 * browser goes through the same screens, with no logout detour.
 */
export function freshSessionPerAuthorization(authorizationPath: string): Middleware {
  return (ctx, next) => (ctx.path === authorizationPath && ctx.headers.cookie ? withoutPreviousSession(ctx, next) : next());
}

async function withoutPreviousSession(ctx: Context, next: Next): Promise<void> {
  const pairs = (ctx.headers.cookie ?? '').split(';').map((pair) => pair.trim()).filter(Boolean);
  const nameOf = (pair: string) => pair.slice(0, Math.max(0, pair.indexOf('=')));
  const dropped = pairs.map(nameOf).filter((name) => SESSION_COOKIE.test(name));
  if (dropped.length === 0) return next();
  const kept = pairs.filter((pair) => !SESSION_COOKIE.test(nameOf(pair)));
  if (kept.length) ctx.headers.cookie = kept.join('; ');
  else delete ctx.headers.cookie;

  await next();

  // the browser must forget the old session too, unless the provider has just set a new one
  const setCookies = ([] as string[]).concat(ctx.response.get('set-cookie') || []);
  for (const name of dropped) {
    if (!setCookies.some((cookie) => cookie.startsWith(`${name}=`))) {
      ctx.cookies.set(name, null, { path: '/', signed: false, overwrite: false });
    }
  }
}
