import type { Context } from 'koa';

/**
 * Reads the client IP before anything reads the body: koa keeps it, so later reads (throttle,
 * audit) never touch a socket that a failed body read may have closed.
 */
export function captureClientIp(ctx: Context): string {
  return ctx.ip;
}
