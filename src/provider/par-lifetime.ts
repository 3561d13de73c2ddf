import type { Adapter, AdapterFactory, AdapterPayload } from 'oidc-provider';
import type { Middleware } from 'koa';

/**
 * oidc-provider fixes a pushed authorization request's lifetime at 60 s (or the request object's
 * exp). Our `ttl.pushedAuthorizationRequestSeconds` may only shorten it: the stored record expires
 * then (so a late request_uri is refused as invalid_request_uri), and the PAR response's
 * `expires_in` says so.
 */
export function capPushedRequestLifetime(base: AdapterFactory, maxSeconds: number): AdapterFactory {
  return (model) => {
    const adapter = base(model);
    if (model !== 'PushedAuthorizationRequest') return adapter;
    const capped: Adapter = Object.create(adapter) as Adapter;
    capped.upsert = (id: string, payload: AdapterPayload, expiresIn?: number) => {
      const lifetime = Math.min(expiresIn ?? maxSeconds, maxSeconds);
      const iat = typeof payload.iat === 'number' ? payload.iat : Math.floor(Date.now() / 1000);
      return adapter.upsert(id, { ...payload, exp: Math.min(payload.exp ?? Infinity, iat + lifetime) }, lifetime);
    };
    return capped;
  };
}

/** At the PAR endpoint (dispatchByEndpoint runs it there only). */
export function announcePushedRequestLifetime(maxSeconds: number): Middleware {
  return async (ctx, next) => {
    await next();
    if (ctx.status !== 201) return;
    const body = ctx.body as { expires_in?: number } | undefined;
    if (body && typeof body.expires_in === 'number' && body.expires_in > maxSeconds) ctx.body = { ...body, expires_in: maxSeconds };
  };
}
