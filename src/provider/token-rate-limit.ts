import type { Context, Middleware } from 'koa';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { Logger } from 'pino';
import { claimedClientId } from './claimed-client.js';
import { answerOAuthError, answerUnreadForm, readEndpointForm } from './endpoint-form.js';
import type { ChargedClient, ClientFailureLimiter } from './client-failure-limiter.js';
import { routePath } from './provider-endpoints.js';

/** What a finished request spent: a failed client authentication anywhere, an invalid grant at the token endpoint. */
function isFailure(ctx: Context, atTokenEndpoint: boolean): boolean {
  const error = (ctx.body as { error?: unknown } | undefined)?.error;
  return (ctx.status === 401 && error === 'invalid_client') || (atTokenEndpoint && error === 'invalid_grant');
}

/**
 * The client a failure is charged to: the one oidc-provider loaded, else (a credential it could not
 * even read, such as a client assertion that is not a JWT) the one the request named, unproven.
 */
function chargedClient(ctx: Context, claimed: string | undefined): ChargedClient | undefined {
  const { client } = (ctx as unknown as Partial<KoaContextWithOIDC>).oidc ?? {};
  if (!client) return claimed ? { clientId: claimed, proven: false } : undefined;
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
    const read = await readEndpointForm(ctx);
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
      answerOAuthError(ctx, 429, 'too_many_requests', `too many failed requests; retry after ${seconds} seconds`);
      onRefused();
      logger.warn({ event: 'client_throttle.refused', request_id: ctx.state.requestId, client_id: claimed?.slice(0, 200), ip, route: ctx.path }, 'client over its failure budget');
      return;
    }

    await next();
    // the path as oidc-provider routes it (case-insensitive, a trailing slash ignored)
    if (!isFailure(ctx, routePath(ctx.path) === tokenRoute)) return;
    try {
      await limiter.recordFailure(ip, chargedClient(ctx, claimed));
    } catch (error) {
      logger.warn({ event: 'client_throttle.unavailable', err: { message: (error as Error).message } }, 'client failure not counted');
    }
  };
}
