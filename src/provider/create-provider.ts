import Provider, { errors, type Configuration, type SigningAlgorithm } from 'oidc-provider';
import { trustProxy } from '../shared/trust-proxy.js';
import { withProviderClients } from '../clients/provider-client-adapter.js';
import { createPartnerJwksFetch } from '../clients/partner-jwks-fetch.js';
import type { Logger } from 'pino';
import type { KeyMaterial } from '../keys/key-files.js';
import { CookieSigner } from '../keys/cookie-signer.js';
import type { DomainServices } from '../services.js';
import type { Settings } from '../settings/types.js';
import type { Store } from '../storage/store.js';
import { createFindAccount } from './find-account.js';
import { createInteractionPolicy } from './interaction-policy.js';
import { createLoadExistingGrant } from './load-existing-grant.js';
import { logoutPages } from './logout-pages.js';
import { renkeiMetadata } from './client-metadata.js';
import { logProviderEvents } from './provider-events.js';
import { createRenderError } from './render-error.js';
import { introspectionAllowed, issueRefreshToken, revocationAllowed, rotateRefreshToken } from './token-policies.js';
import { ttlPolicy } from './ttl-policy.js';
import { defaultResource, getResourceServerInfo, useGrantedResource } from './resource-servers.js';
import { richAuthorizationRequestsFeature } from './rar-policy.js';
import { grantManagementParams } from '../grants/grant-management/grant-management-params.js';
import { withGrantManagementConsent } from '../grants/grant-management/grant-management-prompt.js';
import { GRANT_MANAGEMENT_PATH } from '../grants/grant-management/grant-management-routes.js';
import { createPairwiseIdentifier } from './pairwise-subject.js';
import { mtlsFeature } from './mtls.js';
import { capPushedRequestLifetime } from './par-lifetime.js';
import { dpopFeature } from './dpop-nonce.js';
import { markUnauthenticatedClients } from './client-auth-errors.js';
import { pinRequestOrigin } from '../shared/pin-request-origin.js';
import { opaqueIdBits } from './opaque-id-lengths.js';
import { reuseBuiltClients } from './reuse-built-clients.js';
import { checkCodeBeforeSpending, checkRefreshBeforeRotating } from './spend-code-last.js';

const SIGNING_ALGS: SigningAlgorithm[] = ['PS256', 'ES256', 'EdDSA', 'RS256'];

export interface ProviderDependencies {
  readonly settings: Settings;
  readonly store: Store;
  readonly keys: KeyMaterial;
  readonly logger: Logger;
  readonly services: Pick<DomainServices, 'customers' | 'grants' | 'dataCipher'>;
}

/** acr values: password + 利用者番号 digits, and with the risk-based additional authentication. */
export const ACR = { twoFactor: 'urn:renkei:acr:pwd-digits', withAdditional: 'urn:renkei:acr:pwd-digits-kba' } as const;

/** The oidc-provider configuration, one concern per block. */
/** How partners may authenticate, at every endpoint that authenticates them. */
const CLIENT_AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'tls_client_auth', 'self_signed_tls_client_auth', 'none'] as const;

export function providerConfiguration({ settings, store, keys, services }: Omit<ProviderDependencies, 'logger'>): Configuration {
  const { config } = settings;
  const scopes = Object.keys(config.scopes);
  return {
    adapter: capPushedRequestLifetime(withProviderClients(store.adapterFactory, services.dataCipher), config.ttl.pushedAuthorizationRequestSeconds),
    extraClientMetadata: {
      properties: ['profile', 'resource_server', 'grant_management'],
      validator(_ctx, key, value) {
        if (key === 'profile' && value !== undefined && value !== 'standard' && value !== 'fapi2') {
          throw new errors.InvalidClientMetadata('profile must be standard or fapi2');
        }
        if ((key === 'resource_server' || key === 'grant_management') && value !== undefined && typeof value !== 'boolean') {
          throw new errors.InvalidClientMetadata(`${key} must be a boolean`);
        }
      },
    },
    findAccount: createFindAccount(services.customers),
    jwks: { keys: keys.jwks.keys.map((key) => ({ ...key })) },
    cookies: {
      keys: new CookieSigner(keys.cookieSecrets),
      long: { signed: true, httpOnly: true, sameSite: 'lax' },
      short: { signed: true, httpOnly: true, sameSite: 'lax' },
    },

    // protocol profile (SPEC §5): authorization code + PKCE S256 only
    responseTypes: ['code'],
    pkce: { required: () => true },
    clientAuthMethods: [...CLIENT_AUTH_METHODS],
    clientDefaults: {
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'RS256',
      // RFC 9396: every partner may ask for account information in detail (see rar-policy)
      authorization_details_types: ['account_information'],
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
    scopes,
    // every catalogue scope is an OpenID scope: granted, shown at consent and carried by the token
    claims: { openid: ['sub', 'acr', 'amr', 'auth_time'], sid: null },
    acrValues: [ACR.twoFactor, ACR.withAdditional],
    subjectTypes: ['public', 'pairwise'],
    pairwiseIdentifier: createPairwiseIdentifier(keys.dataKeys),
    loadExistingGrant: createLoadExistingGrant(services.grants),
    conformIdTokenClaims: true,
    ttl: ttlPolicy(config),
    issueRefreshToken,
    rotateRefreshToken,
    // tokens live their own lifetime: every authorization authenticates afresh, so sessions are short
    expiresWithSession: async () => false,
    // revoking an access token revokes every token of its grant (oidc-provider's revocation), so the
    // grant ends with them, as for a refresh token: the customer's list, the events and the audit say so
    revokeGrantPolicy: async () => true,

    features: {
      devInteractions: { enabled: false },
      pushedAuthorizationRequests: { enabled: true, requirePushedAuthorizationRequests: false },
      introspection: { enabled: true, allowedPolicy: introspectionAllowed(services.customers) },
      revocation: { enabled: true, allowedPolicy: revocationAllowed },
      userinfo: { enabled: true },
      dPoP: dpopFeature(config.dpop, keys.dpopNonceSecret),
      mTLS: mtlsFeature(settings),
      // FAPI 2.0 Security Profile for clients registered with profile fapi2 (their metadata
      // forces PAR, private_key_jwt, DPoP-bound tokens and PS256/ES256/EdDSA; see client-registry)
      fapi: { enabled: true, profile: (_ctx, client) => (client && renkeiMetadata(client).profile === 'fapi2' ? '2.0' : undefined) },
      resourceIndicators: {
        enabled: true,
        getResourceServerInfo: getResourceServerInfo(config.resources),
        defaultResource: defaultResource(config.resources),
        useGrantedResource: useGrantedResource(config.resources),
      },
      richAuthorizationRequests: richAuthorizationRequestsFeature(config.resources),
      requestObjects: { enabled: true },
      jwtResponseModes: { enabled: true },
      rpInitiatedLogout: { enabled: true, ...logoutPages(config) },
    },
    extraParams: grantManagementParams,
    discovery: {
      ui_locales_supported: ['ja', 'en'],
      // Grant Management for OAuth 2.0 §8
      grant_management_endpoint: `${new URL(settings.issuer).origin}${GRANT_MANAGEMENT_PATH}`,
      grant_management_actions_supported: ['query', 'revoke', 'create', 'merge', 'replace'],
      grant_management_action_required: false,
      // RFC 8414 §2: left out, these would mean client_secret_basic only; the token endpoint's methods
      // (introspection without none: RFC 7662 §2.1, a public client is told nothing, token-policies.ts)
      introspection_endpoint_auth_methods_supported: CLIENT_AUTH_METHODS.filter((method) => method !== 'none'),
      introspection_endpoint_auth_signing_alg_values_supported: SIGNING_ALGS,
      revocation_endpoint_auth_methods_supported: CLIENT_AUTH_METHODS,
      revocation_endpoint_auth_signing_alg_values_supported: SIGNING_ALGS,
    },
    interactions: {
      policy: withGrantManagementConsent(createInteractionPolicy()),
      url: (_ctx, interaction) => `/interaction/${interaction.uid}`,
    },
    renderError: createRenderError(config),
    formats: { bitsOfOpaqueRandomness: opaqueIdBits },
  };
}

export function createProvider(dependencies: ProviderDependencies): Provider {
  const { settings, logger } = dependencies;
  const configuration = providerConfiguration(dependencies);
  const provider = new Provider(settings.issuer, {
    ...configuration,
    // keys fetched from a partner's jwks_uri pass the same rules as registered keys (SPEC §5)
    fetch: createPartnerJwksFetch({ logger, allowLoopback: settings.mode === 'development' }),
  });
  trustProxy(provider, dependencies.settings.config.server.trustProxy);
  pinRequestOrigin(provider, dependencies.settings.issuer);
  logProviderEvents(provider, dependencies.logger);
  markUnauthenticatedClients(provider);
  reuseBuiltClients(provider, { otherSources: configuration.clients !== undefined || configuration.features?.clientIdMetadataDocument?.enabled === true });
  checkCodeBeforeSpending(provider);
  checkRefreshBeforeRotating(provider);
  return provider;
}
