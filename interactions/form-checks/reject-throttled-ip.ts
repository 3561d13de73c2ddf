import type { Middleware } from 'koa';
import type { Throttle } from '../../src/accounts/throttle.js';
import { CustomerPageError } from './customer-page-error.js';

/** The per-IP budget of failed attempts is spent: the 429 page, saying when to come back. */
export class TooManyAttempts extends CustomerPageError {
  constructor(readonly retryAfterSeconds: number) {
    super(429, 'too_many_requests', 'throttle.blocked');
  }
}

/** Refuses the form while the client IP's failed attempts are over budget (SPEC §4). */
export function rejectThrottledIp(throttle: Pick<Throttle, 'isBlocked'>, windowSeconds: number): Middleware {
  return async (ctx, next) => {
    if (await throttle.isBlocked(ctx.ip)) throw new TooManyAttempts(windowSeconds);
    await next();
  };
}
