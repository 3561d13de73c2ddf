import { createHash, type X509Certificate } from 'node:crypto';
import { calculateJwkThumbprint, EmbeddedJWK, jwtVerify } from 'jose';
import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import { renkeiMetadata } from '../../provider/client-metadata.js';
import { usesGrantManagement } from './grant-management-params.js';

type AccessToken = InstanceType<Provider['AccessToken']>;

/** A refused call to the grant management endpoint, answered as RFC 6750 §3 says. */
export class EndpointRefusal extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404,
    readonly error: string,
    readonly description: string,
    readonly scheme: 'Bearer' | 'DPoP' = 'Bearer',
    /** RFC 6750 §3.1: a request that carried no access token at all gets the challenge without an error code */
    readonly challengeOnly = false,
  ) {
    super(description);
  }
}

const PROOF_WINDOW_SECONDS = 300;
const sha256 = (value: string | Buffer) => createHash('sha256').update(value).digest('base64url');

export interface TokenCheckDependencies {
  readonly provider: Provider;
  /** the URL this endpoint is reached at, without query (for the proof's htu) */
  readonly endpointUrl: (ctx: Context) => string;
  readonly certificate: (ctx: Context) => X509Certificate | undefined;
}

/** RFC 9449 §4.3, §7.1: a proof for this request and this token, by the token's key, used once. */
async function checkDpopProof(ctx: Context, deps: TokenCheckDependencies, value: string, token: AccessToken): Promise<void> {
  const refuse = (description: string) => new EndpointRefusal(401, 'invalid_dpop_proof', description, 'DPoP');
  const proof = ctx.get('dpop');
  if (!proof) throw refuse('a DPoP proof is required');
  let verified;
  try {
    verified = await jwtVerify(proof, EmbeddedJWK, { typ: 'dpop+jwt', algorithms: ['ES256', 'PS256', 'EdDSA'], maxTokenAge: `${PROOF_WINDOW_SECONDS}s`, clockTolerance: 60 });
  } catch {
    throw refuse('the DPoP proof is not valid');
  }
  const { payload, protectedHeader } = verified;
  // as oidc-provider's own check: a jti that is a string and not empty (§4.2), before anything is claimed with it
  if (typeof payload.jti !== 'string' || payload.jti === '') throw refuse('the DPoP proof must have a jti string');
  if (payload.htm !== ctx.method || payload.htu !== deps.endpointUrl(ctx)) throw refuse('the DPoP proof is for another request');
  if (payload.ath !== sha256(value)) throw refuse('the DPoP proof is for another access token');
  if ((await calculateJwkThumbprint(protectedHeader.jwk!)) !== token.jkt) throw refuse('the DPoP proof is not signed by the key the token is bound to');
  // oidc-provider's own replay record, as for proofs at its endpoints (claimed atomically by our adapter)
  const usedUntil = Math.floor(Date.now() / 1000) + PROOF_WINDOW_SECONDS * 2;
  if (!(await deps.provider.ReplayDetection.unique(String(token.clientId), payload.jti, usedUntil))) {
    throw refuse('the DPoP proof was used before');
  }
}

/**
 * The access token of a call to the grant management endpoint: one of ours (opaque), live, of a
 * client registered for grant management, presented as its binding requires (DPoP-bound tokens
 * with the DPoP scheme and a proof, certificate-bound ones with that certificate); fapi2 clients
 * must use sender-constrained tokens.
 */
export async function requireAccessToken(ctx: Context, deps: TokenCheckDependencies): Promise<AccessToken> {
  const match = /^(Bearer|DPoP) +([A-Za-z0-9\-._~+/]+=*)$/i.exec(ctx.get('authorization'));
  if (!match) throw new EndpointRefusal(401, 'invalid_token', 'an access token is required', 'Bearer', true);
  const scheme = match[1]!.toLowerCase() === 'dpop' ? 'DPoP' : 'Bearer';
  const value = match[2]!;
  const token = await deps.provider.AccessToken.find(value);
  if (!token) throw new EndpointRefusal(401, 'invalid_token', 'the access token is not valid', scheme);
  const client = await deps.provider.Client.find(token.clientId!);
  if (!client || !usesGrantManagement(client)) throw new EndpointRefusal(401, 'invalid_token', 'the access token is not valid', scheme);
  if (token.jkt) {
    if (scheme !== 'DPoP') throw new EndpointRefusal(401, 'invalid_token', 'this access token is DPoP-bound: use the DPoP scheme with a proof', 'DPoP');
    await checkDpopProof(ctx, deps, value, token);
  } else if (scheme === 'DPoP') {
    throw new EndpointRefusal(401, 'invalid_token', 'this access token is not DPoP-bound');
  }
  const thumbprint = token['x5t#S256'];
  if (thumbprint) {
    const certificate = deps.certificate(ctx);
    if (!certificate || sha256(certificate.raw) !== thumbprint) throw new EndpointRefusal(401, 'invalid_token', 'this access token is bound to a client certificate that was not presented');
  }
  if (renkeiMetadata(client).profile === 'fapi2' && !token.jkt && !thumbprint) throw new EndpointRefusal(401, 'invalid_token', 'a sender-constrained access token is required');
  return token;
}
