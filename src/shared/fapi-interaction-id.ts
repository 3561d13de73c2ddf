import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';

const HEADER = 'x-fapi-interaction-id';
// FAPI 1.0 Baseline §6.2.1: an RFC 4122 UUID; we accept any short token-like value and echo it
const ACCEPTABLE = /^[A-Za-z0-9-]{1,64}$/;

/** Echoes the partner's x-fapi-interaction-id on every response (or generates one), for tracing across systems. */
export function fapiInteractionId(): Middleware {
  return (ctx, next) => {
    const incoming = ctx.get(HEADER);
    const id = ACCEPTABLE.test(incoming) ? incoming : randomUUID();
    ctx.state.fapiInteractionId = id;
    ctx.res.setHeader(HEADER, id);
    return next();
  };
}
