import type { Context } from 'koa';

/**
 * What a flow of customer screens (the authorization screens, 連携サービス管理) tells the form
 * checks about its forms. `S` is what a form belongs to: the interaction, or the session.
 */
export interface FormFlow<S> {
  /** error pages before the subject is read: what the browser holds (language, way back) */
  useBrowserForErrors(ctx: Context): void;
  /** the live interaction or session; throws the customer's error page when it is gone */
  load(ctx: Context): Promise<S>;
  /** error pages from here on: the subject's language, the credit union's contact, the way back */
  useSubjectForErrors(ctx: Context, subject: S): void;
  csrfToken(subject: S): string;
  currentStep(subject: S): string;
  /** the current step again, with the form's error message (a form that could not be read) */
  showFormRefused(ctx: Context, subject: S): Promise<void>;
  /** a replayed, skipped or reordered step goes back to the current one */
  backToCurrentStep(ctx: Context, subject: S): void;
  /** where a form of a subject that has already ended is sent on to (its result), if it has ended */
  finishedAt?(subject: S): string | undefined;
  /**
   * A form whose CSRF token is not the subject's: when the subject is one that started anew (the
   * form's own ran out), the flow may answer it itself (true) rather than with the error page.
   */
  answerStaleForm?(ctx: Context, subject: S): Promise<boolean>;
}

/** Which checks a route's form needs beyond those every form passes. */
export interface FormRule {
  /** the step the form belongs to; absent: any step (中止する, ログアウト) */
  readonly step?: string;
  /** spend nothing of the per-IP budget, but refuse (429) once it is spent */
  readonly throttled: boolean;
}

/** A form that passed the checks, and what it belongs to. */
export interface PostedForm<S> {
  readonly subject: S;
  readonly fields: ReadonlyMap<string, string>;
}

const SUBJECT = 'formSubject';
const FIELDS = 'formFields';

export function setFormSubject<S>(ctx: Context, subject: S): void {
  ctx.state[SUBJECT] = subject;
}

/** The form's subject once the checks have loaded it, else undefined. */
export function loadedFormSubject<S>(ctx: Context): S | undefined {
  return SUBJECT in ctx.state ? (ctx.state[SUBJECT] as S) : undefined;
}

export function formSubject<S>(ctx: Context): S {
  if (!(SUBJECT in ctx.state)) throw new TypeError('the form checks have not loaded the form’s subject');
  return ctx.state[SUBJECT] as S;
}

export function setFormFields(ctx: Context, fields: ReadonlyMap<string, string>): void {
  ctx.state[FIELDS] = fields;
}

/** What the checks let through, for the route's handler. */
export function postedForm<S>(ctx: Context): PostedForm<S> {
  const fields = ctx.state[FIELDS] as ReadonlyMap<string, string> | undefined;
  if (!fields) throw new TypeError('the form checks have not read the form');
  return { subject: formSubject<S>(ctx), fields };
}
