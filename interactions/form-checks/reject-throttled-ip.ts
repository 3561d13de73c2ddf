import type { Context, Middleware } from 'koa';
import type { IpStanding, Throttle } from '../../src/accounts/throttle.js';
import { ipBudgetKey } from '../../src/shared/ip-budget-key.js';
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

/**
 * Refuses the form while the client IP's failed attempts are over budget (SPEC §4). A failure is
 * counted only once its factor was verified, so the forms of one IP still being verified on this
 * instance count against the budget too: a burst sent at once gets no more verifications than the
 * budget has left (across N instances, each lets through at most what is left).
 */
export function rejectThrottledIp(throttle: Pick<Throttle, 'readStanding' | 'refuses'>, windowSeconds: number): Middleware {
  const inFlight = new Map<string, number>();
  return async (ctx, next) => {
    const standing = await (standingsRead.get(ctx) ?? throttle.readStanding(ctx.ip));
    const ip = ipBudgetKey(ctx.ip);
    const pending = inFlight.get(ip) ?? 0;
    if (throttle.refuses(standing, pending)) throw new TooManyAttempts(windowSeconds);
    inFlight.set(ip, pending + 1);
    try {
      await next();
    } finally {
      const left = (inFlight.get(ip) ?? 1) - 1;
      if (left > 0) inFlight.set(ip, left);
      else inFlight.delete(ip);
    }
  };
}
