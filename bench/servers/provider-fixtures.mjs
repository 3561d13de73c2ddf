// Records minted through a server's own oidc-provider models, so that renkei and the baseline hold
// what their own adapters write for them.
import { pkcePair } from './pkce.mjs';

export const REDIRECT_URI = 'https://partner.example/callback';
export const TOKEN_SCOPE = 'openid offline_access accounts';

const epoch = () => Math.floor(Date.now() / 1000);

/** A grant of its own and a PKCE-bound authorization code under it. */
export async function mintCode(provider, { clientId, accountId, scope = TOKEN_SCOPE, challenge }) {
  const grant = new provider.Grant({ accountId, clientId });
  grant.addOIDCScope(scope);
  const grantId = await grant.save();
  const code = await new provider.AuthorizationCode({
    accountId, clientId, grantId, redirectUri: REDIRECT_URI, scope, codeChallenge: challenge, codeChallengeMethod: 'S256',
    authTime: epoch(), expiresWithSession: false,
  }).save();
  return { code, grantId };
}

/** `count` codes sharing one PKCE verifier (each code is still redeemable once only). */
export async function mintCodes(provider, { clientId, accountId, count }) {
  const { verifier, challenge } = pkcePair();
  const codes = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      codes[index] = (await mintCode(provider, { clientId, accountId, challenge })).code;
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return { verifier, codes };
}

/** An access token and a refresh token, minted as a code and redeemed at the server's own token endpoint. */
export async function mintTokens(provider, { tokenEndpoint, clientId, clientSecret, accountId }) {
  const { verifier, challenge } = pkcePair();
  const { code, grantId } = await mintCode(provider, { clientId, accountId, challenge });
  const response = await fetch(tokenEndpoint, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT_URI }),
  });
  const body = await response.json();
  if (response.status !== 200 || !body.refresh_token) throw new Error(`code exchange failed: ${response.status} ${JSON.stringify(body)}`);
  return { accessToken: body.access_token, refreshToken: body.refresh_token, grantId };
}
