import type { Middleware } from 'koa';
import { errors } from 'oidc-provider';
import { csrfMatches } from '../progress.js';
import { formSubject, postedForm, type FormFlow } from './customer-form.js';

/** The form carries the CSRF token of its interaction or session. */
export function requireCsrfToken<S>(flow: FormFlow<S>): Middleware {
  return async (ctx, next) => {
    const csrf = flow.csrfToken(formSubject<S>(ctx));
    if (!csrfMatches({ csrf }, postedForm<S>(ctx).fields.get('csrf'))) {
      if (await flow.answerStaleForm?.(ctx, formSubject<S>(ctx))) return;
      throw new errors.InvalidRequest('the form has expired or was not sent by this page; please start again');
    }
    await next();
  };
}
