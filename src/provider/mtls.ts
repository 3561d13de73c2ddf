import { X509Certificate } from 'node:crypto';
import type { Middleware } from 'koa';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { MTLS_METHODS, type TokenEndpointAuthMethod } from '../clients/client-record.js';
import type { Settings } from '../settings/types.js';

/** "CN=a,O=b" (RFC 4514) or "O=b\nCN=a" (Node) → a canonical, order-free form. */
function canonicalDn(dn: string): string {
  return dn
    .split(/[,\n]/)
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const [key = '', ...value] = part.split('=');
      return `${key.trim().toUpperCase()}=${value.join('=').trim()}`;
    })
    .sort()
    .join(',');
}

const SAN_PREFIX: Record<string, string> = {
  tls_client_auth_san_dns: 'DNS:',
  tls_client_auth_san_uri: 'URI:',
  tls_client_auth_san_ip: 'IP Address:',
  tls_client_auth_san_email: 'email:',
};

/**
 * Mutual TLS behind a TLS terminator (RFC 8705): the proxy verifies the client certificate and
 * forwards it URL-escaped in a header (nginx: $ssl_client_escaped_cert), with its verdict in
 * another ($ssl_client_verify). The headers are believed only when RENKEI_TRUST_PROXY=1 — then
 * the proxy must overwrite them on every request.
 */
export function mtlsFeature(settings: Settings) {
  const { certificateHeader, verifiedHeader } = settings.config.mtls;
  const trusted = settings.config.server.trustProxy;

  function getCertificate(ctx: KoaContextWithOIDC): X509Certificate | undefined {
    if (!trusted) return undefined;
    const escaped = ctx.get(certificateHeader);
    if (!escaped) return undefined;
    try {
      return new X509Certificate(decodeURIComponent(escaped));
    } catch {
      return undefined;
    }
  }

  return {
    enabled: true,
    certificateBoundAccessTokens: true,
    tlsClientAuth: true,
    selfSignedTlsClientAuth: true,
    getCertificate,
    certificateAuthorized: (ctx: KoaContextWithOIDC) => trusted && ctx.get(verifiedHeader) === 'SUCCESS',
    certificateSubjectMatches(ctx: KoaContextWithOIDC, property: string, expected: string): boolean {
      const certificate = getCertificate(ctx);
      if (!certificate) return false;
      if (property === 'tls_client_auth_subject_dn') return canonicalDn(certificate.subject) === canonicalDn(expected);
      const prefix = SAN_PREFIX[property];
      if (!prefix || !certificate.subjectAltName) return false;
      return certificate.subjectAltName.split(',').map((entry) => entry.trim()).includes(`${prefix}${expected}`);
    },
  };
}

const AUTH_METHOD_LISTS = ['token_endpoint_auth_methods_supported', 'introspection_endpoint_auth_methods_supported', 'revocation_endpoint_auth_methods_supported'];

/**
 * At the discovery endpoints without RENKEI_TRUST_PROXY: no certificate is believed, so no client
 * can authenticate with one or bind a token to it, and discovery leaves mTLS out (RFC 8414 §2 lists
 * what the server supports). The feature itself stays on, so a client registered with mTLS still
 * loads, is refused as invalid_client, and its tokens stay bound.
 */
export function discoveryWithoutMtls(): Middleware {
  return async (ctx, next) => {
    await next();
    const metadata = ctx.body as Record<string, unknown> | null;
    if (ctx.status !== 200 || typeof metadata !== 'object' || metadata === null || Buffer.isBuffer(metadata)) return;
    for (const field of AUTH_METHOD_LISTS) {
      const methods = metadata[field];
      if (Array.isArray(methods)) metadata[field] = methods.filter((method: TokenEndpointAuthMethod) => !MTLS_METHODS.includes(method));
    }
    delete metadata.tls_client_certificate_bound_access_tokens;
  };
}
