import type { Middleware } from 'koa';
import { formSubject, type FormFlow } from './customer-form.js';

/**
 * A form of an interaction that already has its result (a double submission, a form posted again
 * from the browser's history) changes nothing: the browser is sent on to that result, as the first
 * submission was.
 */
export function sendFinishedOn<S>(flow: FormFlow<S>): Middleware {
  return async (ctx, next) => {
    const target = flow.finishedAt?.(formSubject<S>(ctx));
    if (target === undefined) return next();
    ctx.status = 303;
    ctx.redirect(target);
  };
}
