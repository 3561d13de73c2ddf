import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import type { Logger } from 'pino';

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * Gives each request an id (X-Request-Id, kept when the caller's is sane) and logs one line when
 * it ends: method, path without query, status, duration. Query strings and bodies can carry codes
 * and secrets, so they are never logged here.
 *
 * The line holds only those fields, none of them a secret field, so it is written by a child
 * logger without the redaction paths: redacting it cost more CPU than the rest of a discovery
 * request (every field runs through ~100 wildcard paths). Every other log line keeps them.
 */
export function requestContext(logger: Logger): Middleware {
  const accessLog = logger.child({}, { redact: { paths: [] } });
  return async (ctx, next) => {
    const started = performance.now();
    const incoming = ctx.get('x-request-id');
    const requestId = SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    ctx.state.requestId = requestId;
    ctx.set('X-Request-Id', requestId);
    try {
      await next();
    } finally {
      if (accessLog.isLevelEnabled('info')) {
        accessLog.info(
          {
            event: 'http.request',
            request_id: requestId,
            method: ctx.method,
            path: ctx.path,
            status: ctx.status,
            ip: ctx.ip,
            duration_ms: Math.round((performance.now() - started) * 10) / 10,
          },
          'request',
        );
      }
    }
  };
}
