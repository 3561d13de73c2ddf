import type { Context, Middleware } from 'koa';
import { readBody } from '../shared/read-body.js';

const FORM = 'application/x-www-form-urlencoded';

/**
 * A form declared with no body at all (neither Content-Length nor Transfer-Encoding, as `curl -X
 * POST -H 'Content-Type: …'` sends it) is an empty form, as one with `Content-Length: 0` is:
 * oidc-provider, seeing the type but no body, refused it for a content type it had been sent
 * ("only application/x-www-form-urlencoded … supported"); with the type gone it reads no parameters
 * and names the first one missing.
 */
function forgetTypeOfAbsentBody(ctx: Context): void {
  delete ctx.req.headers['content-type'];
}

/** oidc-provider's own limit for these bodies (lib/shared/selective_body.js) */
const MAX_BODY_BYTES = 56 * 1024;

export type FormRefusal = 'too_large' | 'unreadable' | 'encoded';
export type FormRead = { readonly form: URLSearchParams } | { readonly refused: FormRefusal };

/**
 * Reads the application/x-www-form-urlencoded body of a token, PAR, introspection, revocation or
 * userinfo request and leaves it, unparsed, where oidc-provider reads an already-read body from
 * (`ctx.request.body`), so it parses exactly the same bytes.
 * oidc-provider notes this once per process ("already parsed request body detected").
 */
export async function readEndpointForm(ctx: Context): Promise<FormRead> {
  if (!ctx.is(FORM)) {
    if (ctx.request.type === FORM) forgetTypeOfAbsentBody(ctx);
    return { form: new URLSearchParams() };
  }
  // a compressed body would be read as its bytes: parameters silently missing (RFC 9110 §8.4.1: 415)
  const coding = ctx.get('content-encoding').trim().toLowerCase();
  if (coding && coding !== 'identity') return { refused: 'encoded' };
  const raw = await readBody(ctx.req, MAX_BODY_BYTES);
  if (!Buffer.isBuffer(raw)) return { refused: raw };
  (ctx.request as { body?: unknown }).body = raw;
  return { form: new URLSearchParams(raw.toString('utf8')) };
}

/** An OAuth error body (RFC 6749 §5.2) with its status, not to be cached. */
export function answerOAuthError(ctx: Context, status: number, error: string, description: string): void {
  ctx.status = status;
  ctx.set('Cache-Control', 'no-store');
  ctx.body = { error, error_description: description };
}

/** A form that could not be taken: oversized 413 (RFC 9110 §15.5.14), compressed 415 (§8.4.1), else 400, with the OAuth error body partners parse. */
export function answerUnreadForm(ctx: Context, refused: FormRefusal): void {
  if (refused === 'too_large') answerOAuthError(ctx, 413, 'invalid_request', 'the request body is too large');
  else if (refused === 'encoded') {
    answerOAuthError(ctx, 415, 'invalid_request', 'the request body must not be compressed: send it as plain application/x-www-form-urlencoded');
    ctx.set('Accept-Encoding', 'identity');
  } else answerOAuthError(ctx, 400, 'invalid_request', 'the request body could not be read');
}

/** Userinfo's POST form (RFC 6750 §2.2) read as the client-authenticating endpoints' are: 413, 415 and 400 in the same words. */
export function readUserinfoForm(): Middleware {
  const readThenNext = async (ctx: Context, next: () => Promise<unknown>) => {
    const read = await readEndpointForm(ctx);
    if ('refused' in read) return answerUnreadForm(ctx, read.refused);
    return next();
  };
  // a GET (most userinfo requests) passes on without an async frame of its own
  return (ctx, next) => (ctx.method === 'POST' ? readThenNext(ctx, next) : next());
}
