import type { Context, Middleware } from 'koa';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { Logger } from 'pino';
import { claimedClientId, readTokenEndpointForm } from './claimed-client.js';
import type { ChargedClient, ClientFailureLimiter } from './client-failure-limiter.js';
import { routePath } from './provider-endpoints.js';

function answer(ctx: Context, status: number, error: string, description: string): void {
  ctx.status = status;
  ctx.set('Cache-Control', 'no-store');
  ctx.body = { error, error_description: description };
}

/** A form that could not be taken: oversized 413 (RFC 9110 §15.5.14), compressed 415 (§8.4.1), else 400, with the OAuth error body partners parse. */
function answerUnreadForm(ctx: Context, refused: 'too_large' | 'unreadable' | 'encoded'): void {
  if (refused === 'too_large') answer(ctx, 413, 'invalid_request', 'the request body is too large');
  else if (refused === 'encoded') {
    answer(ctx, 415, 'invalid_request', 'the request body must not be compressed: send it as plain application/x-www-form-urlencoded');
    ctx.set('Accept-Encoding', 'identity');
  } else answer(ctx, 400, 'invalid_request', 'the request body could not be read');
}

/** Userinfo's POST form (RFC 6750 §2.2) read as the client-authenticating endpoints' are: 413, 415 and 400 in the same words. */
export function readUserinfoForm(): Middleware {
  const readThenNext = async (ctx: Context, next: () => Promise<unknown>) => {
    const read = await readTokenEndpointForm(ctx);
    if ('refused' in read) return answerUnreadForm(ctx, read.refused);
    return next();
  };
  // a GET (most userinfo requests) passes on without an async frame of its own
  return (ctx, next) => (ctx.method === 'POST' ? readThenNext(ctx, next) : next());
}

/** What a finished request spent: a failed client authentication anywhere, an invalid grant at the token endpoint. */
function isFailure(ctx: Context, atTokenEndpoint: boolean): boolean {
  const error = (ctx.body as { error?: unknown } | undefined)?.error;
  return (ctx.status === 401 && error === 'invalid_client') || (atTokenEndpoint && error === 'invalid_grant');
}

function chargedClient(ctx: Context): ChargedClient | undefined {
  const { client } = (ctx as unknown as Partial<KoaContextWithOIDC>).oidc ?? {};
  if (!client) return undefined;
  const authenticated = ctx.status !== 401 && client.clientAuthMethod !== 'none';
  return { clientId: client.clientId, proven: authenticated };
}

/**
 * Failed client authentication and invalid grants at the token, PAR, introspection and revocation
 * endpoints are counted per IP and per client; over budget, requests are refused with `429
 * too_many_requests` and `Retry-After` before any credential or grant is looked at.
 * When the store does not answer, requests pass on (oidc-provider, on the same store, answers them).
 * Placed at those endpoints only (dispatchByEndpoint); `tokenPath` tells the token endpoint apart.
 */
export function limitClientFailures(limiter: ClientFailureLimiter, tokenPath: string, logger: Logger, onRefused: () => void = () => {}): Middleware {
  const tokenRoute = routePath(tokenPath);
  return async (ctx, next) => {
    if (ctx.method !== 'POST') return next();
    const { ip } = ctx;
    const read = await readTokenEndpointForm(ctx);
    if ('refused' in read) return answerUnreadForm(ctx, read.refused);

    const claimed = claimedClientId(ctx.get('authorization'), read.form);
    let waitMs = 0;
    try {
      waitMs = await limiter.waitBeforeRetry(ip, claimed);
    } catch (error) {
      logger.warn({ event: 'client_throttle.unavailable', err: { message: (error as Error).message } }, 'client failure budget not checked');
    }
    if (waitMs > 0) {
      const seconds = Math.max(1, Math.ceil(waitMs / 1000));
      ctx.set('Retry-After', String(seconds));
      answer(ctx, 429, 'too_many_requests', `too many failed requests; retry after ${seconds} seconds`);
      onRefused();
      logger.warn({ event: 'client_throttle.refused', request_id: ctx.state.requestId, client_id: claimed?.slice(0, 200), ip, route: ctx.path }, 'client over its failure budget');
      return;
    }

    await next();
    // the path as oidc-provider routes it (case-insensitive, a trailing slash ignored)
    if (!isFailure(ctx, routePath(ctx.path) === tokenRoute)) return;
    try {
      await limiter.recordFailure(ip, chargedClient(ctx));
    } catch (error) {
      logger.warn({ event: 'client_throttle.unavailable', err: { message: (error as Error).message } }, 'client failure not counted');
    }
  };
}
