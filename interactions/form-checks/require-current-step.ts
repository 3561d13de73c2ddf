import type { Middleware } from 'koa';
import { formSubject, type FormFlow } from './customer-form.js';

/** The form is the step its subject is at: a replayed, skipped or reordered step is sent back to the current one. */
export function requireCurrentStep<S>(flow: FormFlow<S>, step: string): Middleware {
  return async (ctx, next) => {
    const subject = formSubject<S>(ctx);
    if (flow.currentStep(subject) !== step) return flow.backToCurrentStep(ctx, subject);
    await next();
  };
}
