import { randomUUID } from 'node:crypto';
import type { Context, Middleware } from 'koa';
import type { AccessLog } from './access-log.js';
import { echoFapiInteractionId } from './fapi-interaction-id.js';
import type { HeaderList } from './security-headers.js';

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export interface RequestContextOptions {
  readonly accessLog: AccessLog;
  /** counts the finished request (metrics) */
  readonly observe: (ctx: Context, seconds: number) => void;
  /** headers every response of the listener carries */
  readonly headers?: HeaderList;
  /** echo (or generate) x-fapi-interaction-id: the public listener's API partners trace with it */
  readonly fapiInteractionId?: boolean;
}

/**
 * What every request of a listener gets, in one middleware (each middleware layer costs every
 * request a dispatch and a promise): an id (X-Request-Id, kept when the caller's is sane), the
 * listener's headers, its metrics, and its access line when it ends: method, path without query,
 * status, duration. Query strings and bodies can carry codes and secrets, so they are never logged here.
 */
export function requestContext({ accessLog, observe, headers = [], fapiInteractionId = false }: RequestContextOptions): Middleware {
  return async (ctx, next) => {
    const started = performance.now();
    const incoming = ctx.get('x-request-id');
    // one UUID serves as both ids when the caller sent neither
    const generated = SAFE_REQUEST_ID.test(incoming) ? undefined : randomUUID();
    const requestId = generated ?? incoming;
    ctx.state.requestId = requestId;
    const { res } = ctx;
    res.setHeader('X-Request-Id', requestId);
    if (fapiInteractionId) echoFapiInteractionId(ctx, generated);
    for (const [name, value] of headers) res.setHeader(name, value);
    try {
      await next();
    } finally {
      const elapsedMs = performance.now() - started;
      observe(ctx, elapsedMs / 1000);
      accessLog.write({ requestId, method: ctx.method, path: ctx.path, status: ctx.status, ip: ctx.ip, durationMs: Math.round(elapsedMs * 10) / 10 });
    }
  };
}
