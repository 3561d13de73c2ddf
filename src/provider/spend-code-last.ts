import { calculateJwkThumbprint, decodeProtectedHeader, type JWK } from 'jose';
import Provider, { errors, type KoaContextWithOIDC } from 'oidc-provider';

/** An authorization code, or a refresh token (which has no `dpopJkt`: its binding is checked before). */
interface SpendableCode {
  /** the DPoP key's thumbprint the code is bound to (RFC 9449 §10: `dpop_jkt`, or the PAR request's proof) */
  readonly dpopJkt?: string;
  /** the resources the authorization was for (RFC 8707) */
  readonly resourceIndicators: ReadonlySet<string | undefined>;
  consume(): Promise<void>;
}

/**
 * oidc-provider spends an authorization code, then compares it with what the token request asks
 * for: the code's DPoP binding with the request's proof, and the `resource` it names with the
 * resources authorized. A partner that sent no proof, a proof of another key, a resource the
 * customer did not authorize, or more than one resource, was refused, and its corrected retry
 * then met a spent code, which revokes the grant (RFC 6749 §4.1.2): the customer's whole
 * connection to that partner. The same comparisons, made just before the code is spent (after
 * client authentication, PKCE and redirect_uri), refuse the request in the same words and leave
 * the code as it was.
 */
export function checkCodeBeforeSpending(provider: Provider): void {
  const prototype = provider.AuthorizationCode.prototype as unknown as SpendableCode;
  const consume = prototype.consume;
  prototype.consume = async function consumeWhatTheRequestMayHave(this: SpendableCode) {
    const request = Provider.ctx as KoaContextWithOIDC | undefined;
    if (this.dpopJkt) await assertProofKey(this.dpopJkt, request?.get('DPoP'));
    assertAuthorizedResource(this, request?.oidc.params?.resource);
    return consume.call(this);
  };
}

/**
 * A rotating refresh token (public partners) is spent the same way: oidc-provider consumes it,
 * then resolves the `resource` asked for, so a refused resource left the partner holding a spent
 * token whose next use revokes the grant. The proof and the scope are checked before it.
 */
export function checkRefreshBeforeRotating(provider: Provider): void {
  const prototype = provider.RefreshToken.prototype as unknown as SpendableCode;
  const consume = prototype.consume;
  prototype.consume = async function consumeWhatTheRequestMayHave(this: SpendableCode) {
    assertAuthorizedResource(this, (Provider.ctx as KoaContextWithOIDC | undefined)?.oidc.params?.resource);
    return consume.call(this);
  };
}

/** oidc-provider verified the proof before this point, so the key in its header is the key that signed it. */
async function assertProofKey(boundTo: string, proof: string | undefined): Promise<void> {
  if (!proof) throw new errors.InvalidGrant('missing DPoP proof JWT');
  const { jwk } = decodeProtectedHeader(proof);
  if (!jwk || (await calculateJwkThumbprint(jwk as JWK)) !== boundTo) {
    throw new errors.InvalidGrant('DPoP proof key thumbprint does not match dpop_jkt');
  }
}

/**
 * oidc-provider issues an access token for one resource (RFC 8707 §2.2 leaves that to the
 * server), so a token request names at most one, and one the code was authorized for; the
 * refusals are in oidc-provider's own words.
 */
function assertAuthorizedResource(code: SpendableCode, requested: unknown): void {
  if (Array.isArray(requested) && requested.length > 1) {
    throw new errors.InvalidTarget('only a single resource indicator value must be requested/resolved during Access Token Request');
  }
  if (typeof requested === 'string' && !code.resourceIndicators.has(requested)) throw new errors.InvalidTarget();
}
