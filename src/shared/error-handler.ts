import type { Context, Middleware } from 'koa';
import type { Logger } from 'pino';
import { renderErrorPage } from './error-page.js';
import { pickLocale } from './locale.js';

interface HttpErrorLike {
  status?: number;
  statusCode?: number;
  expose?: boolean;
  error?: string;
  error_description?: string;
  message?: string;
}

function wantsJson(ctx: Context): boolean {
  if (ctx.path.startsWith('/admin/')) return true;
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

/** Answers as the client expects: OAuth-style JSON for APIs, our error page for browsers. */
export function respondWithError(ctx: Context, status: number, bankName: string, error?: string, description?: string): void {
  ctx.status = status;
  const code = error ?? codeFor(status);
  if (wantsJson(ctx)) {
    ctx.body = { error: code, ...(description ? { error_description: description } : {}) };
    return;
  }
  ctx.type = 'html';
  ctx.body = renderErrorPage({
    status,
    locale: pickLocale(ctx.query.ui_locales),
    bankName,
    error: code,
    description,
    requestId: ctx.state.requestId as string | undefined,
  });
}

/** Errors from our own routes (the provider renders its own): public code only, details to the log. */
export function errorHandler(logger: Logger, bankName: (ctx: Context) => string): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) respondWithError(ctx, 404, bankName(ctx));
    } catch (caught) {
      const error = caught as HttpErrorLike;
      const status = statusOf(error);
      if (status >= 500) {
        logger.error({ event: 'http.error', request_id: ctx.state.requestId, err: caught }, 'request failed');
      }
      const exposed = error.expose ?? status < 500;
      respondWithError(ctx, status, bankName(ctx), exposed ? error.error : undefined, exposed ? error.error_description : undefined);
    }
  };
}
