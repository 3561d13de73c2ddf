import type { Logger } from 'pino';
import type { Settings } from '../settings/types.js';

/**
 * Production without RENKEI_TRUST_PROXY: the server ignores X-Forwarded-*, so behind a reverse
 * proxy every request seems to come from the proxy. Said once at start, plainly.
 */
export function noticeUntrustedProxy(settings: Settings, logger: Logger): void {
  if (settings.mode !== 'production' || settings.config.server.trustProxy) return;
  logger.warn(
    { event: 'server.proxy_untrusted' },
    'RENKEI_TRUST_PROXY is not set: X-Forwarded-For is ignored, so behind a reverse proxy every client IP is the proxy\'s ' +
      '(per-IP throttling then counts all customers together) and mTLS certificate headers are not read. ' +
      `Endpoint URLs, redirects, Secure cookies and HSTS still follow RENKEI_ISSUER (${settings.issuer}). ` +
      'Set RENKEI_TRUST_PROXY=1 when a reverse proxy you control sets X-Forwarded-For.',
  );
}
