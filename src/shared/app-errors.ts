import type Koa from 'koa';
import type { Logger } from './logger.js';

/** A client that went away (reset, hung up mid-body): nothing to answer and nothing the server did wrong. */
const CLIENT_GONE = new Set(['ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ERR_STREAM_PREMATURE_CLOSE']);

/**
 * What Koa reports outside the middleware chain (a response stream that failed, a client that reset
 * the connection while its request was read): one log line, or none for a client that went away,
 * instead of Koa's default, an unstructured stack trace on stderr for each one.
 */
export function logAppErrors(app: Koa, logger: Logger): void {
  app.on('error', (error: Error & { code?: string; status?: number; expose?: boolean }, ctx?: Koa.Context) => {
    if (error.code !== undefined && CLIENT_GONE.has(error.code)) return;
    if (error.status === 404 || error.expose) return;
    logger.error({ event: 'http.error', request_id: ctx?.state.requestId, err: { name: error.name, message: error.message, code: error.code } }, 'request failed outside the handlers');
  });
}
