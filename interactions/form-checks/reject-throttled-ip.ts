import type { Middleware } from 'koa';
import type { Throttle } from '../../src/accounts/throttle.js';

/** The per-IP budget of failed attempts is spent: the 429 page, saying when to come back. */
export class TooManyAttempts extends Error {
  readonly status = 429;
  readonly expose = true;
  readonly error = 'too_many_requests';
  constructor(readonly retryAfterSeconds: number) {
    super('throttle.blocked');
    this.name = 'TooManyAttempts';
  }
}

/** Refuses the form while the client IP's failed attempts are over budget (SPEC §4). */
export function rejectThrottledIp(throttle: Pick<Throttle, 'isBlocked'>, windowSeconds: number): Middleware {
  return async (ctx, next) => {
    if (await throttle.isBlocked(ctx.ip)) throw new TooManyAttempts(windowSeconds);
    await next();
  };
}
