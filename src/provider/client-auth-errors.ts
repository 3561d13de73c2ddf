import type { Middleware } from 'koa';
import { errors, type KoaContextWithOIDC, type Provider } from 'oidc-provider';

/** The endpoints that authenticate the client (token, PAR, introspection, revocation) and their error events. */
export const CLIENT_AUTH_ERROR_EVENTS = ['grant.error', 'pushed_authorization_request.error', 'introspection.error', 'revocation.error'] as const;

/**
 * oidc-provider's descriptions of client authentication it refuses as `invalid_request`:
 * none given at all, a `client_id` (parameter, Basic user or assertion `sub`) naming another
 * client than the credentials do, an Authorization header it cannot read as HTTP Basic
 * credentials (another scheme, not base64, no colon, bad percent-encoding, no secret), and a
 * `client_assertion` it cannot read as a JWT.
 */
const UNAUTHENTICATED = new Set([
  'no client authentication mechanism provided',
  'client_id mismatch',
  'invalid authorization header value format',
  'client_id and client_secret in the authorization header are not properly encoded',
  'client_secret must be provided in the Authorization header',
  // RFC 7523 §3.2: a client assertion that is not a JWT fails authentication (invalid_client)
  'invalid client_assertion format',
]);
const FLAG = 'renkeiClientNotAuthenticated';
const DESCRIPTION = 'client authentication failed';

/**
 * RFC 6749 §5.2: "invalid_client: Client authentication failed (e.g., unknown client, no client
 * authentication included, or unsupported authentication method). The authorization server MAY
 * return an HTTP 401 (Unauthorized) status code ... If the client attempted to authenticate via
 * the Authorization request header field, the authorization server MUST respond with an HTTP 401
 * (Unauthorized) status code and include the WWW-Authenticate response header field matching the
 * authentication scheme used by the client."
 *
 * The error events mark the request; `answerUnauthenticatedAsInvalidClient` rewrites the answer.
 */
export function markUnauthenticatedClients(provider: Provider): void {
  for (const event of CLIENT_AUTH_ERROR_EVENTS) {
    (provider as unknown as NodeJS.EventEmitter).on(event, (ctx: KoaContextWithOIDC, error: unknown) => {
      if (error instanceof errors.InvalidRequest && UNAUTHENTICATED.has((error as { error_description?: string }).error_description ?? '')) {
        ctx.state[FLAG] = true;
      }
    });
  }
}

const quoted = (value: string) => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

export function answerUnauthenticatedAsInvalidClient(issuer: string): Middleware {
  return async (ctx, next) => {
    await next();
    if (!ctx.state[FLAG]) return;
    ctx.status = 401;
    ctx.body = { error: 'invalid_client', error_description: DESCRIPTION };
    // the one scheme the endpoint takes, also to a client that tried another
    if (ctx.get('authorization')) {
      ctx.set('WWW-Authenticate', `Basic realm=${quoted(issuer)}, error="invalid_client", error_description=${quoted(DESCRIPTION)}`);
    }
  };
}
