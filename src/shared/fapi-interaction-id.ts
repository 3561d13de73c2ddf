import { randomUUID } from 'node:crypto';
import type { Context } from 'koa';

const HEADER = 'x-fapi-interaction-id';
// FAPI 1.0 Baseline §6.2.1: an RFC 4122 UUID; we accept any short token-like value and echo it
const ACCEPTABLE = /^[A-Za-z0-9-]{1,64}$/;

/**
 * The partner's x-fapi-interaction-id (or a new one: `generated`, a UUID the caller has just made
 * for this request, else another), echoed on every response for tracing across systems.
 */
export function echoFapiInteractionId(ctx: Context, generated?: string): void {
  const incoming = ctx.get(HEADER);
  const id = ACCEPTABLE.test(incoming) ? incoming : generated ?? randomUUID();
  ctx.state.fapiInteractionId = id;
  ctx.res.setHeader(HEADER, id);
}
