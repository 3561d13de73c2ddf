import type { Middleware } from 'koa';

const DESCRIPTION = 'request_uri must not be sent to the pushed authorization request endpoint (RFC 9126 §2.1): push the request\'s parameters themselves';

/**
 * RFC 9126 §2.1: a pushed request may carry every authorization request parameter but
 * `request_uri`. oidc-provider refuses one with `request_uri_not_supported` and no description,
 * a code meant for the authorization endpoint that tells a partner nothing about this mistake;
 * it becomes `invalid_request` (RFC 6749 §5.2) with a description. At the PAR endpoint only.
 */
export function requestUriAtParAsInvalidRequest(): Middleware {
  return async (ctx, next) => {
    await next();
    const body = ctx.body as { error?: unknown } | undefined;
    if (ctx.status === 400 && body?.error === 'request_uri_not_supported') ctx.body = { error: 'invalid_request', error_description: DESCRIPTION };
  };
}
