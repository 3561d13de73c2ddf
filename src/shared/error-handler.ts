import type { Context, Middleware } from 'koa';
import type { Logger } from 'pino';
import { STORE_RETRY_AFTER_SECONDS } from '../storage/store-errors.js';
import { renderErrorPage, type ErrorPageInput, type ErrorReason } from './error-page.js';
import { requestLocale, type Locale } from './locale.js';

interface HttpErrorLike {
  status?: number;
  statusCode?: number;
  expose?: boolean;
  error?: string;
  error_description?: string;
  message?: string;
  retryAfterSeconds?: number;
  reason?: ErrorReason;
}

/** What an error answer may say beyond its status: the page's extras, and the wait for Retry-After. */
export type ErrorDetails = Partial<Omit<ErrorPageInput, 'status' | 'locale' | 'requestId'>> & {
  readonly locale?: Locale | undefined;
  readonly retryAfterSeconds?: number | undefined;
};

/** What a route tells the error pages of its request: the details, and the way back to the partner by status and reason. */
export type ErrorContext = ErrorDetails & {
  readonly returnToFor?: ((status: number, reason?: ErrorReason) => ErrorPageInput['returnTo']) | undefined;
};

const CONTEXT_STATE = 'errorPageContext';

/**
 * What any error page of this request says beyond its status, once a route knows it: the
 * interaction's language (whatever the URL says), the credit union's contact, the way back.
 */
export function useErrorContext(ctx: Context, context: ErrorContext): void {
  ctx.state[CONTEXT_STATE] = { ...(ctx.state[CONTEXT_STATE] as ErrorContext | undefined), ...context };
}

function detailsFromContext(ctx: Context, status: number, reason: ErrorReason | undefined): ErrorDetails {
  const { returnToFor, ...details } = (ctx.state[CONTEXT_STATE] as ErrorContext | undefined) ?? {};
  const returnTo = returnToFor?.(status, reason);
  return returnTo ? { ...details, returnTo } : details;
}

const ANSWERS_JSON = 'answersJson';

function wantsJson(ctx: Context): boolean {
  if (ctx.state[ANSWERS_JSON] === true) return true;
  return ctx.accepts('html', 'json') === 'json';
}

function statusOf(error: HttpErrorLike): number {
  const status = error.status ?? error.statusCode ?? 500;
  return status >= 400 && status < 600 ? status : 500;
}

function codeFor(status: number): string {
  if (status === 503) return 'temporarily_unavailable';
  if (status === 404) return 'not_found';
  if (status === 429) return 'too_many_requests';
  if (status >= 500) return 'server_error';
  return 'invalid_request';
}

/** Every 503 says when to come back (SPEC §2, §3): ours, oidc-provider's and /readyz. */
function announceRetry(ctx: Context, seconds: number | undefined): number | undefined {
  const wait = seconds ?? (ctx.status === 503 ? STORE_RETRY_AFTER_SECONDS : undefined);
  if (wait !== undefined && !ctx.response.get('Retry-After')) ctx.set('Retry-After', String(wait));
  return wait;
}

/**
 * Answers as the client expects: OAuth-style JSON for APIs, our error page (in the customer's
 * language) for browsers. The error code and description may also be given positionally.
 */
export function respondWithError(ctx: Context, status: number, bankName: string, detailsOrError: ErrorDetails | string = {}, description?: string): void {
  const given: ErrorDetails =
    typeof detailsOrError === 'string' ? { error: detailsOrError, ...(description ? { description } : {}) } : detailsOrError;
  const details: ErrorDetails = { ...detailsFromContext(ctx, status, given.reason), ...given };
  ctx.status = status;
  const retryAfterSeconds = announceRetry(ctx, details.retryAfterSeconds);
  const code = details.error ?? codeFor(status);
  if (wantsJson(ctx)) {
    ctx.body = { error: code, ...(details.description ? { error_description: details.description } : {}) };
    return;
  }
  ctx.type = 'html';
  ctx.body = renderErrorPage({
    ...details,
    ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
    status,
    locale: details.locale ?? requestLocale(ctx, ctx.query.ui_locales),
    bankName: details.bankName ?? bankName,
    error: code,
    requestId: ctx.state.requestId as string | undefined,
  });
}

/**
 * @koa/router answers a method outside its list (TRACE, PROPFIND, …) with a bare 501: on a path
 * with routes that is a wrong method (405, its Allow kept), elsewhere an unknown page (404).
 */
function answerUnknownMethod(ctx: Context, bankName: string): void {
  if (ctx.response.get('Allow')) {
    respondWithError(ctx, 405, bankName, 'invalid_request');
    return;
  }
  ctx.remove('Allow');
  respondWithError(ctx, 404, bankName);
}

const AFTER_CLIENT_ERROR_PAGE = 'afterClientErrorPage';

/**
 * What a route wants done with the error page of a client error (4xx) once it is rendered, e.g.
 * answering the form that caused it with a redirect to the page instead (Post/Redirect/Get).
 */
export function afterClientErrorPage(ctx: Context, then: (ctx: Context) => Promise<void>): void {
  ctx.state[AFTER_CLIENT_ERROR_PAGE] = then;
}

/**
 * Errors from our own routes (the provider renders its own): public code only, details to the log.
 * `apiPaths`: path prefixes whose answers are JSON for every client.
 * `defaults` are what every error page says unless a route says more (the credit union's contact).
 */
export function errorHandler(logger: Logger, bankName: (ctx: Context) => string, defaults: ErrorDetails = {}, apiPaths: readonly string[] = []): Middleware {
  return async (ctx, next) => {
    // an API's errors are JSON whatever Accept says (no Accept, or */*, prefers a page otherwise)
    if (apiPaths.some((prefix) => ctx.path.startsWith(prefix))) ctx.state[ANSWERS_JSON] = true;
    // as useErrorContext(ctx, defaults) on a request that has none yet, without a copy per request
    // (it is never changed: useErrorContext makes a new object)
    ctx.state[CONTEXT_STATE] ??= defaults;
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) respondWithError(ctx, 404, bankName(ctx));
      else if (ctx.status === 501 && ctx.body === undefined) answerUnknownMethod(ctx, bankName(ctx));
      else if (ctx.status === 503) announceRetry(ctx, undefined);
    } catch (caught) {
      const error = caught as HttpErrorLike;
      const status = statusOf(error);
      if (status >= 500) {
        logger.error({ event: 'http.error', request_id: ctx.state.requestId, err: caught }, 'request failed');
      }
      const exposed = error.expose ?? status < 500;
      respondWithError(ctx, status, bankName(ctx), {
        ...(exposed && error.error ? { error: error.error } : {}),
        ...(exposed && error.error_description ? { description: error.error_description } : {}),
        ...(error.retryAfterSeconds !== undefined ? { retryAfterSeconds: error.retryAfterSeconds } : {}),
        ...(exposed && error.reason ? { reason: error.reason } : {}),
      });
      const then = ctx.state[AFTER_CLIENT_ERROR_PAGE] as ((ctx: Context) => Promise<void>) | undefined;
      if (then && status < 500) await then(ctx);
    }
  };
}
