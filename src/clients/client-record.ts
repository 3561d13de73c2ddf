import type { Sealed } from '../keys/data-cipher.js';

export type ClientProfile = 'standard' | 'fapi2';
export type TokenEndpointAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt' | 'tls_client_auth' | 'self_signed_tls_client_auth' | 'none';
export const MTLS_METHODS: readonly TokenEndpointAuthMethod[] = ['tls_client_auth', 'self_signed_tls_client_auth'];

/** What operators send (RFC 7591 names). */
export interface ClientInput {
  client_id?: string;
  client_name: string;
  redirect_uris: string[];
  /** where the end-session endpoint may send the browser back (OpenID Connect RP-Initiated Logout §3.1) */
  post_logout_redirect_uris?: string[];
  scope?: string;
  token_endpoint_auth_method?: TokenEndpointAuthMethod;
  jwks_uri?: string;
  jwks?: { keys: Record<string, unknown>[] };
  profile?: ClientProfile;
  grant_types?: string[];
  response_types?: string[];
  token_endpoint_auth_signing_alg?: SigningAlg;
  id_token_signed_response_alg?: SigningAlg;
  require_signed_request_object?: boolean;
  subject_type?: 'public' | 'pairwise';
  tls_client_auth_subject_dn?: string;
  tls_client_auth_san_dns?: string;
  tls_client_certificate_bound_access_tokens?: boolean;
  /** a bank API (resource server) that may introspect any token; it has no redirect URIs and no grants */
  resource_server?: boolean;
  /** Grant Management for OAuth 2.0: grant_id in token responses, grant_management_action at authorization, the grant management endpoint */
  grant_management?: boolean;
  /** where SSF events are pushed (RFC 8935); absent: no events for this partner */
  events_endpoint?: string | null;
  /** the Authorization header value the partner's receiver expects (stored sealed, never shown) */
  events_authorization?: string;
  /** event type URIs the partner wants (default: session-revoked and credential-change) */
  events_requested?: string[];
}

export type SigningAlg = 'PS256' | 'ES256' | 'EdDSA' | 'RS256';
/** FAPI 2.0 Security Profile §5.4: PS256, ES256 or EdDSA only */
export const FAPI_SIGNING_ALGS: readonly SigningAlg[] = ['PS256', 'ES256', 'EdDSA'];
/** What a partner may sign with under each profile (the provider's enabled algorithms for standard). */
export const PROFILE_SIGNING_ALGS: Readonly<Record<ClientProfile, readonly SigningAlg[]>> = {
  fapi2: FAPI_SIGNING_ALGS,
  standard: [...FAPI_SIGNING_ALGS, 'RS256'],
};

/** What is stored in the Client model: metadata, the sealed secret, and our status. */
export interface ClientRecord extends Omit<ClientInput, 'client_id' | 'events_authorization'> {
  client_id: string;
  scope: string;
  token_endpoint_auth_method: TokenEndpointAuthMethod;
  profile: ClientProfile;
  grant_types: string[];
  response_types: string[];
  client_id_issued_at: number;
  disabled: boolean;
  client_secret_sealed?: Sealed;
  /** after a rotation with a grace period: the previous secret, still accepted until the time below */
  previous_client_secret_sealed?: Sealed;
  /** seconds since the epoch */
  previous_client_secret_expires_at?: number;
  events_authorization_sealed?: Sealed;
  require_pushed_authorization_requests?: boolean;
  dpop_bound_access_tokens?: boolean;
  authorization_signed_response_alg?: SigningAlg;
  request_object_signing_alg?: SigningAlg;
}

/** The record as operators see it: never the secret, nor the fields the store adds to every record (kind, jti). */
export function publicMetadata(record: ClientRecord): Omit<ClientRecord, 'client_secret_sealed' | 'events_authorization_sealed' | 'previous_client_secret_sealed'> & { events_authorization_set?: boolean } {
  const {
    client_secret_sealed: _secret, events_authorization_sealed: eventsAuthorization, previous_client_secret_sealed: _previous,
    kind: _kind, jti: _jti, ...metadata
  } = record as ClientRecord & { kind?: unknown; jti?: unknown };
  return eventsAuthorization ? { ...metadata, events_authorization_set: true } : metadata;
}

/** What the previous secret is sealed bound to (not the client ID alone, so the two cannot be swapped). */
export const previousSecretBinding = (clientId: string) => `${clientId}#previous`;
