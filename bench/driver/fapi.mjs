// The FAPI 2.0 partner of the bench: its private_key_jwt key and DPoP key, and pools of pushed
// authorization requests each with a fresh client assertion and a fresh DPoP proof (jose).
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { pkcePair } from '../servers/pkce.mjs';
import { REDIRECT_URI } from '../servers/provider-fixtures.mjs';

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const ALG = 'ES256';
const epoch = () => Math.floor(Date.now() / 1000);

export class FapiPartner {
  static async generate() {
    const client = await generateKeyPair(ALG, { extractable: true });
    const dpop = await generateKeyPair(ALG, { extractable: true });
    const publicJwk = { ...(await exportJWK(client.publicKey)), kid: `bench-${randomUUID().slice(0, 8)}`, alg: ALG, use: 'sig' };
    return new FapiPartner(client.privateKey, publicJwk, dpop.privateKey, await exportJWK(dpop.publicKey));
  }

  constructor(privateKey, publicJwk, dpopKey, dpopJwk) {
    this.privateKey = privateKey;
    this.publicJwk = publicJwk;
    this.dpopKey = dpopKey;
    this.dpopJwk = dpopJwk;
  }

  assertion(clientId, issuer) {
    const iat = epoch();
    return new SignJWT({ iss: clientId, sub: clientId, aud: issuer, iat, exp: iat + 120, jti: randomUUID() })
      .setProtectedHeader({ alg: ALG, kid: this.publicJwk.kid })
      .sign(this.privateKey);
  }

  proof(htu, nonce) {
    return new SignJWT({ htm: 'POST', htu, iat: epoch(), jti: randomUUID(), ...(nonce ? { nonce } : {}) })
      .setProtectedHeader({ alg: ALG, typ: 'dpop+jwt', jwk: this.dpopJwk })
      .sign(this.dpopKey);
  }

  /** One pushed authorization request: form body and DPoP header. */
  async pushedRequest({ clientId, issuer, parEndpoint, nonce }) {
    const { challenge } = (this.pkce ??= pkcePair());
    const [assertion, proof] = await Promise.all([this.assertion(clientId, issuer), this.proof(parEndpoint, nonce)]);
    const body = new URLSearchParams({
      client_id: clientId, response_type: 'code', redirect_uri: REDIRECT_URI, scope: 'openid accounts', state: randomUUID(),
      code_challenge: challenge, code_challenge_method: 'S256', client_assertion_type: ASSERTION_TYPE, client_assertion: assertion,
    }).toString();
    return { headers: { dpop: proof }, body };
  }

  /**
   * The DPoP nonce the server wants, if any: one probe request; a use_dpop_nonce answer carries
   * the nonce to put in every proof.
   */
  async dpopNonce(target) {
    const item = await this.pushedRequest(target);
    const response = await fetch(target.parEndpoint, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...item.headers }, body: item.body,
    });
    const body = await response.json().catch(() => ({}));
    if (response.status === 201) return undefined;
    if (body.error === 'use_dpop_nonce' && response.headers.get('dpop-nonce')) return response.headers.get('dpop-nonce');
    throw new Error(`pushed authorization request refused: ${response.status} ${JSON.stringify(body)}`);
  }

  async pool(target, size) {
    const nonce = await this.dpopNonce(target);
    const items = [];
    for (let start = 0; start < size; start += 256) {
      const batch = Math.min(256, size - start);
      items.push(...(await Promise.all(Array.from({ length: batch }, () => this.pushedRequest({ ...target, nonce })))));
    }
    return items;
  }
}
