import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { BankContact } from '../settings/types.js';
import { renderErrorPage } from './error-page.js';
import type { HeaderList } from './security-headers.js';

/** The statuses Node refuses a request with before any handler sees it. */
export type RefusedStatus = 400 | 408 | 431;

const REASON_PHRASES: Record<RefusedStatus, string> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  431: 'Request Header Fields Too Large',
};

/** Which refusal Node's parser or its timeouts meant (the codes Node's own default answer looks at). */
export function refusedStatusOf(error: NodeJS.ErrnoException): RefusedStatus {
  if (error.code === 'HPE_HEADER_OVERFLOW') return 431;
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return 408;
  return 400;
}

export interface RefusedRequestPageOptions {
  readonly bankName: string;
  readonly contact: BankContact;
  /** the listener's headers (security headers), as every other response carries them */
  readonly headers: HeaderList;
  readonly logger: Logger;
}

/**
 * The whole HTTP response (status line, headers, body) for a request Node refused before it
 * reached a handler: headers over the limit (431), a request not received in time (408), a
 * request it could not parse (400). Node's own answer is a bare status line, a blank page for a
 * customer. This is the error page in Japanese (the request's headers, so its language, are not
 * known), with its お問い合わせ番号 logged beside the refusal.
 */
export function refusedRequestPage({ bankName, contact, headers, logger }: RefusedRequestPageOptions): (error: NodeJS.ErrnoException) => string {
  return (error) => {
    const status = refusedStatusOf(error);
    const requestId = randomUUID();
    logger.info({ event: 'http.refused', status, reason: error.code, request_id: requestId }, 'request refused before it was read');
    const body = Buffer.from(renderErrorPage({ status, locale: 'ja', bankName, error: 'invalid_request', requestId, contact }), 'utf8');
    const lines = [
      `HTTP/1.1 ${status} ${REASON_PHRASES[status]}`,
      'Content-Type: text/html; charset=utf-8',
      `Content-Length: ${body.length}`,
      'Connection: close',
      `X-Request-Id: ${requestId}`,
      ...headers.map(([name, value]) => `${name}: ${value}`),
    ];
    return `${lines.join('\r\n')}\r\n\r\n${body.toString('utf8')}`;
  };
}
