import type { Context, Middleware } from 'koa';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { routePath } from './provider-endpoints.js';

/** What oidc-provider answered: the headers it set (in order), its body as sent, its route (for metrics). */
interface Answer {
  readonly headers: readonly (readonly [string, string | number | readonly string[]])[];
  readonly body: Buffer;
  readonly oidcRoute: string | undefined;
}

/** ctx.state key telling metrics the oidc-provider route of a request answered from memory */
export const MEMOIZED_ROUTE = 'memoizedOidcRoute';

/**
 * Discovery and the JWKS are functions of the configuration and the signing keys only. The first
 * plain GET of each (no Origin header: CORS echoes the origin) is answered by oidc-provider, and
 * its status-200 answer (headers it set, body as Koa would send it) is kept for that provider
 * instance; the next ones get it from memory, byte for byte. The key schedule replaces the
 * provider when keys change (ProviderHolder), which starts afresh. HEAD, OPTIONS, requests with
 * an Origin and any other answer go to oidc-provider every time.
 */
export function memoizedAnswers(currentProvider: () => object): Middleware {
  const answers = new WeakMap<object, Map<string, Answer>>();
  return async (ctx, next) => {
    if (ctx.method !== 'GET' || ctx.get('origin')) return next();
    const provider = currentProvider();
    const route = routePath(ctx.path);
    let kept = answers.get(provider);
    const answer = kept?.get(route);
    if (answer) {
      for (const [name, value] of answer.headers) ctx.res.setHeader(name, value);
      ctx.state[MEMOIZED_ROUTE] = answer.oidcRoute;
      ctx.status = 200;
      ctx.body = answer.body;
      return;
    }
    const before = { ...ctx.response.headers };
    await next();
    if (ctx.status !== 200 || currentProvider() !== provider) return;
    const body = bodyAsSent(ctx);
    if (!body) return;
    if (!kept) answers.set(provider, (kept = new Map()));
    kept.set(route, { headers: headersSetSince(ctx, before), body, oidcRoute: (ctx as unknown as Partial<KoaContextWithOIDC>).oidc?.route });
  };
}

/** The headers set or changed since `before`, as named when set and in their order; Content-Length comes with the body. */
function headersSetSince(ctx: Context, before: Readonly<Record<string, unknown>>): Answer['headers'] {
  const res = ctx.res as typeof ctx.res & { getRawHeaderNames(): string[] };
  return res.getRawHeaderNames()
    .filter((name) => name.toLowerCase() !== 'content-length' && before[name.toLowerCase()] !== res.getHeader(name))
    .map((name) => [name, res.getHeader(name) as string | number | readonly string[]] as const);
}

/** The body as Koa's respond sends it (JSON.stringify for an object), or undefined for anything else. */
function bodyAsSent(ctx: Context): Buffer | undefined {
  const { body } = ctx;
  if (Buffer.isBuffer(body)) return body;
  if (typeof body === 'string') return Buffer.from(body);
  if (body !== null && typeof body === 'object' && Object.getPrototypeOf(body) === Object.prototype) return Buffer.from(JSON.stringify(body));
  return undefined;
}
