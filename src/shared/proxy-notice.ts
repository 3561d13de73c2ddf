import type { Logger } from 'pino';
import type { Settings } from '../settings/types.js';

/**
 * Production's trust in a reverse proxy, said once at start, plainly. Without RENKEI_TRUST_PROXY
 * the server ignores X-Forwarded-*, so behind a reverse proxy every request seems to come from the
 * proxy; with it, see noticeUnrestrictedPeers.
 */
export function noticeProxyTrust(settings: Settings, logger: Logger): void {
  if (settings.mode !== 'production') return;
  if (settings.config.server.trustProxy) return noticeUnrestrictedPeers(settings, logger);
  logger.warn(
    { event: 'server.proxy_untrusted' },
    'RENKEI_TRUST_PROXY is not set: X-Forwarded-For is ignored, so behind a reverse proxy every client IP is the proxy\'s ' +
      '(per-IP throttling then counts all customers together) and mTLS certificate headers are not read. ' +
      `Endpoint URLs, redirects, Secure cookies and HSTS still follow RENKEI_ISSUER (${settings.issuer}). ` +
      'Set RENKEI_TRUST_PROXY=1 when a reverse proxy you control sets X-Forwarded-For.',
  );
}

/**
 * Production with RENKEI_TRUST_PROXY=1 and no `server.trustedProxies`: every peer's forwarded
 * headers are believed, so the network alone keeps others from naming their IP or presenting a
 * client certificate. Said once at start.
 */
function noticeUnrestrictedPeers(settings: Settings, logger: Logger): void {
  if (settings.config.server.trustedProxies.length > 0) return;
  logger.warn(
    { event: 'server.proxy_unrestricted' },
    'RENKEI_TRUST_PROXY=1 without server.trustedProxies: X-Forwarded-For and the client certificate headers are believed from every peer, ' +
      'so anything that reaches this listener past the TLS terminator can name its IP and present any certificate. ' +
      'Name the terminator\'s addresses in server.trustedProxies (IP or CIDR), or let nothing else reach the listener.',
  );
}
