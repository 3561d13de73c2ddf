import type { Middleware } from 'koa';
import { FormTooLarge, isFormTooLarge } from '../form-body.js';
import { setFormSubject, type FormFlow } from './customer-form.js';

/**
 * The interaction or session the form belongs to must be live. When it cannot be read, error pages
 * use what the browser holds (looked at only then: it may be a signed cookie); once read, its own
 * language. An oversized form is a 413 even when the subject is gone.
 */
export function requireLiveSubject<S>(flow: FormFlow<S>): Middleware {
  return async (ctx, next) => {
    let subject: S;
    try {
      subject = await flow.load(ctx);
    } catch (error) {
      flow.useBrowserForErrors(ctx);
      if (await isFormTooLarge(ctx).catch(() => false)) throw new FormTooLarge();
      throw error;
    }
    flow.useSubjectForErrors(ctx, subject);
    setFormSubject(ctx, subject);
    await next();
  };
}
