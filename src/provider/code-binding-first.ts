import { calculateJwkThumbprint, decodeProtectedHeader, type JWK } from 'jose';
import Provider, { errors } from 'oidc-provider';

interface SpendableCode {
  /** the DPoP key's thumbprint the code is bound to (RFC 9449 §10: `dpop_jkt`, or the PAR request's proof) */
  readonly dpopJkt?: string;
  consume(): Promise<void>;
}

/**
 * oidc-provider spends an authorization code before it compares the code's DPoP binding with the
 * token request's proof. A partner that sent no proof, or one made with another key, was refused
 * with invalid_grant, and its corrected retry then met a spent code, which revokes the grant
 * (RFC 6749 §4.1.2): the customer's whole connection to that partner. The same two comparisons,
 * made just before the code is spent (after client authentication, PKCE and redirect_uri), refuse
 * the request in the same words and leave the code as it was. oidc-provider verified the proof
 * before this point, so the key in its header is the key that signed it.
 */
export function checkCodeBindingBeforeSpending(provider: Provider): void {
  const prototype = provider.AuthorizationCode.prototype as unknown as SpendableCode;
  const consume = prototype.consume;
  prototype.consume = async function consumeIfBoundKeyMatches(this: SpendableCode) {
    if (this.dpopJkt) await assertProofKey(this.dpopJkt, Provider.ctx?.get('DPoP'));
    return consume.call(this);
  };
}

async function assertProofKey(boundTo: string, proof: string | undefined): Promise<void> {
  if (!proof) throw new errors.InvalidGrant('missing DPoP proof JWT');
  const { jwk } = decodeProtectedHeader(proof);
  if (!jwk || (await calculateJwkThumbprint(jwk as JWK)) !== boundTo) {
    throw new errors.InvalidGrant('DPoP proof key thumbprint does not match dpop_jkt');
  }
}
