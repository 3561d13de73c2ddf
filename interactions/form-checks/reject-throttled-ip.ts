import type { Context, Middleware } from 'koa';
import type { IpStanding, Throttle } from '../../src/accounts/throttle.js';
import { CustomerPageError } from './customer-page-error.js';

/** The per-IP budget of failed attempts is spent: the 429 page, saying when to come back. */
export class TooManyAttempts extends CustomerPageError {
  constructor(readonly retryAfterSeconds: number) {
    super(429, 'too_many_requests', 'throttle.blocked');
  }
}

const standingsRead = new WeakMap<Context, Promise<IpStanding>>();

/**
 * Sends the read of the client IP's standing as the form's request begins, with the reads of
 * its interaction or session (one round trip); rejectThrottledIp judges it when the form comes to it.
 */
export function readIpStandingEarly(ctx: Context, throttle: Pick<Throttle, 'readStanding'>): void {
  const standing = throttle.readStanding(ctx.ip);
  // judged (and its failure reported) by rejectThrottledIp, unless an earlier check refuses the form
  standing.catch(() => undefined);
  standingsRead.set(ctx, standing);
}

/** Refuses the form while the client IP's failed attempts are over budget (SPEC §4). */
export function rejectThrottledIp(throttle: Pick<Throttle, 'readStanding' | 'refuses'>, windowSeconds: number): Middleware {
  return async (ctx, next) => {
    const standing = await (standingsRead.get(ctx) ?? throttle.readStanding(ctx.ip));
    if (throttle.refuses(standing)) throw new TooManyAttempts(windowSeconds);
    await next();
  };
}
