import type { Context, Middleware, Next } from 'koa';
import type { KoaContextWithOIDC, Provider } from 'oidc-provider';

/** oidc-provider's private error details that RFC 9449 calls invalid_dpop_proof, and what the partner is told. */
const PROOF_ERRORS: ReadonlyMap<string, string> = new Map([
  ['DPoP proof JWT Replay detected', 'DPoP proof was already used'],
  // a client whose tokens must be DPoP-bound (a fapi2 client without mTLS) sent no proof
  ['DPoP proof JWT not provided', "DPoP proof required: this client's tokens are DPoP-bound"],
]);
const FLAG = 'renkeiDpopProofError';

/**
 * RFC 9449 §5/§7.1: a missing or invalid DPoP proof — a replayed one included — is
 * `invalid_dpop_proof`. oidc-provider reports a replayed proof as invalid_grant (token endpoint)
 * or invalid_token (userinfo), naming the replay only in its private error detail, or as
 * invalid_request (PAR), naming it in the description; and a missing proof from a client whose
 * tokens must be DPoP-bound as invalid_grant ("grant request is invalid", which tells the partner
 * to start the authorization again). Its error events mark the request, and the middleware
 * restores the standard code on the way out.
 */
export function markDpopProofErrors(provider: Provider): void {
  for (const event of ['grant.error', 'userinfo.error', 'introspection.error', 'revocation.error', 'pushed_authorization_request.error']) {
    (provider as unknown as NodeJS.EventEmitter).on(event, (ctx: KoaContextWithOIDC, error: { error_detail?: string; error_description?: string }) => {
      const description = PROOF_ERRORS.get(error.error_detail ?? '') ?? PROOF_ERRORS.get(error.error_description ?? '');
      if (description) ctx.state[FLAG] = description;
    });
  }
}

/** At the endpoints that check DPoP proofs (token, userinfo, introspection, revocation, PAR; dispatchByEndpoint runs it there only). */
export function dpopProofErrorCode(): Middleware {
  return async (ctx: Context, next: Next) => {
    await next();
    const description = ctx.state[FLAG] as string | undefined;
    if (!description) return;
    const body = ctx.body as { error?: string } | undefined;
    if (body && typeof body === 'object' && body.error) ctx.body = { ...body, error: 'invalid_dpop_proof', error_description: description };
    const challenge = ctx.response.get('www-authenticate');
    if (challenge) {
      ctx.set('WWW-Authenticate', challenge.replace(/error="[^"]*"/, 'error="invalid_dpop_proof"').replace(/error_description="[^"]*"/, `error_description="${description}"`));
    }
  };
}
