import type { Middleware } from 'koa';
import type { Throttle } from '../../src/accounts/throttle.js';
import { FormRejected, FormTooLarge, readForm } from '../form-body.js';
import { formSubject, setFormFields, type FormFlow } from './customer-form.js';

/**
 * A strict form within its size (form-body). A refused form costs the IP one attempt: too large is
 * the 413 page, unreadable shows the step again with its error.
 */
export function readStrictForm<S>(flow: FormFlow<S>, throttle: Pick<Throttle, 'recordFailure'>): Middleware {
  return async (ctx, next) => {
    try {
      setFormFields(ctx, await readForm(ctx));
    } catch (error) {
      if (!(error instanceof FormRejected || error instanceof FormTooLarge)) throw error;
      await throttle.recordFailure(ctx.ip);
      if (error instanceof FormTooLarge) throw error;
      return flow.showFormRefused(ctx, formSubject<S>(ctx));
    }
    await next();
  };
}
