import type { Context, Middleware, Next } from 'koa';
import type { KoaContextWithOIDC, Provider } from 'oidc-provider';

const REPLAY = 'DPoP proof JWT Replay detected';
const FLAG = 'renkeiDpopReplay';

/**
 * RFC 9449 §5/§7.1: an invalid DPoP proof — a replayed one included — is `invalid_dpop_proof`.
 * oidc-provider reports a replayed proof as invalid_grant (token endpoint) or invalid_token
 * (userinfo), naming the replay only in its private error detail, or as invalid_request (PAR),
 * naming it in the description. Its error events mark the request, and the middleware restores
 * the standard code on the way out.
 */
export function markDpopReplays(provider: Provider): void {
  for (const event of ['grant.error', 'userinfo.error', 'introspection.error', 'revocation.error', 'pushed_authorization_request.error']) {
    (provider as unknown as NodeJS.EventEmitter).on(event, (ctx: KoaContextWithOIDC, error: { error_detail?: string; error_description?: string }) => {
      if (error.error_detail === REPLAY || error.error_description === REPLAY) ctx.state[FLAG] = true;
    });
  }
}

/** At the endpoints that check DPoP proofs (token, userinfo, introspection, revocation, PAR; dispatchByEndpoint runs it there only). */
export function dpopReplayErrorCode(): Middleware {
  return async (ctx: Context, next: Next) => {
    await next();
    if (!ctx.state[FLAG]) return;
    const body = ctx.body as { error?: string } | undefined;
    if (body && typeof body === 'object' && body.error) ctx.body = { ...body, error: 'invalid_dpop_proof', error_description: 'DPoP proof was already used' };
    const challenge = ctx.response.get('www-authenticate');
    if (challenge) {
      ctx.set('WWW-Authenticate', challenge.replace(/error="[^"]*"/, 'error="invalid_dpop_proof"').replace(/error_description="[^"]*"/, 'error_description="DPoP proof was already used"'));
    }
  };
}
