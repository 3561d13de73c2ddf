// The baseline's oidc-provider configuration: renkei's protocol profile (src/provider/
// create-provider.ts) without renkei's screens, policies, indexes or logging.
import { randomBytes } from 'node:crypto';
import { errors, interactionPolicy } from 'oidc-provider';

const SIGNING_ALGS = ['PS256', 'ES256', 'EdDSA', 'RS256'];
const DAY = 24 * 60 * 60;
const GRANT_SECONDS = 90 * DAY;
export const SCOPES = ['openid', 'offline_access', 'accounts', 'transactions', 'transfers'];
const BANK_API = 'https://api.example-shinkumi.jp/';

/** As renkei's: every authorization request logs in afresh (no silent single sign-on). */
function freshLoginPolicy() {
  const policy = interactionPolicy.base();
  policy.get('login').checks.add(new interactionPolicy.Check('fresh_authentication', 'End-User authentication is required for every authorization request',
    'login_required', (ctx) => ctx.oidc.result?.login === undefined), 0);
  return policy;
}

export function baselineConfiguration({ adapter, jwks, clients, account }) {
  return {
    adapter,
    clients,
    jwks,
    findAccount: async (_ctx, sub) => (sub === account.accountId ? { accountId: sub, claims: async () => ({ sub }) } : undefined),
    extraClientMetadata: {
      properties: ['profile'],
      validator(_ctx, key, value) {
        if (key === 'profile' && value !== undefined && value !== 'standard' && value !== 'fapi2') {
          throw new errors.InvalidClientMetadata('profile must be standard or fapi2');
        }
      },
    },
    cookies: {
      keys: [randomBytes(32).toString('base64url')],
      long: { signed: true, httpOnly: true, sameSite: 'lax' },
      short: { signed: true, httpOnly: true, sameSite: 'lax' },
    },
    responseTypes: ['code'],
    pkce: { required: () => true },
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'],
    clientDefaults: {
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'RS256',
    },
    allowOmittingSingleRegisteredRedirectUri: false,
    enabledJWA: {
      clientAuthSigningAlgValues: SIGNING_ALGS,
      idTokenSigningAlgValues: SIGNING_ALGS,
      requestObjectSigningAlgValues: SIGNING_ALGS,
      userinfoSigningAlgValues: SIGNING_ALGS,
      introspectionSigningAlgValues: SIGNING_ALGS,
      authorizationSigningAlgValues: SIGNING_ALGS,
      dPoPSigningAlgValues: ['ES256', 'PS256', 'EdDSA'],
    },
    scopes: SCOPES,
    claims: { openid: ['sub', 'acr', 'amr', 'auth_time'], sid: null },
    acrValues: ['urn:renkei:acr:pwd-digits', 'urn:renkei:acr:pwd-digits-kba'],
    conformIdTokenClaims: true,
    ttl: {
      AuthorizationCode: 60,
      AccessToken: 600,
      ClientCredentials: 600,
      IdToken: 600,
      Interaction: 900,
      Session: 900,
      Grant: GRANT_SECONDS,
      RefreshToken: GRANT_SECONDS,
    },
    issueRefreshToken: async (_ctx, client, code) => client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access'),
    rotateRefreshToken: (ctx) => {
      const { RefreshToken: refreshToken, Client: client } = ctx.oidc.entities;
      return Boolean(refreshToken && client && client.clientAuthMethod === 'none' && !refreshToken.isSenderConstrained());
    },
    expiresWithSession: async () => false,
    features: {
      devInteractions: { enabled: false },
      pushedAuthorizationRequests: { enabled: true, requirePushedAuthorizationRequests: false },
      introspection: { enabled: true, allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId },
      revocation: { enabled: true },
      userinfo: { enabled: true },
      dPoP: { enabled: true },
      fapi: { enabled: true, profile: (_ctx, client) => (client?.metadata().profile === 'fapi2' ? '2.0' : undefined) },
      resourceIndicators: {
        enabled: true,
        getResourceServerInfo: async (_ctx, indicator) => {
          if (indicator !== BANK_API) throw new errors.InvalidTarget(`unknown resource indicator ${indicator}`);
          return { scope: 'accounts transactions transfers', audience: indicator, accessTokenTTL: 600, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'PS256' } } };
        },
        useGrantedResource: async () => true,
      },
      requestObjects: { enabled: true },
      jwtResponseModes: { enabled: true },
      rpInitiatedLogout: { enabled: true },
    },
    discovery: { ui_locales_supported: ['ja', 'en'] },
    interactions: { policy: freshLoginPolicy(), url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  };
}
