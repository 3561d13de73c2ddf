import { EVENT_SHORT_NAMES, REQUESTABLE_EVENTS } from '../../events/event-types.js';
import type { CommandOutput } from '../command.js';
import { fields, fromEpochSeconds, table } from '../output.js';

/** A client as the admin API shows it (RFC 7591 names). */
export interface ClientMetadata {
  readonly client_id: string;
  readonly client_name: string;
  readonly redirect_uris: readonly string[];
  readonly post_logout_redirect_uris?: readonly string[];
  readonly scope: string;
  readonly token_endpoint_auth_method: string;
  readonly grant_types: readonly string[];
  readonly response_types: readonly string[];
  readonly jwks_uri?: string;
  readonly jwks?: { readonly keys: readonly { kid?: string; kty?: string }[] };
  readonly profile: string;
  readonly subject_type?: string;
  readonly resource_server?: boolean;
  readonly tls_client_auth_subject_dn?: string;
  readonly tls_client_auth_san_dns?: string;
  readonly tls_client_certificate_bound_access_tokens?: boolean;
  readonly token_endpoint_auth_signing_alg?: string;
  readonly id_token_signed_response_alg?: string;
  readonly require_signed_request_object?: boolean;
  readonly require_pushed_authorization_requests?: boolean;
  readonly dpop_bound_access_tokens?: boolean;
  readonly grant_management?: boolean;
  readonly events_endpoint?: string;
  /** whether an Authorization value for the events endpoint is stored (the value itself is never shown) */
  readonly events_authorization_set?: boolean;
  readonly events_requested?: readonly string[];
  readonly disabled: boolean;
  readonly client_id_issued_at: number;
  /** only at creation and rotation */
  readonly client_secret?: string;
}

const status = (client: Pick<ClientMetadata, 'disabled'>) => (client.disabled ? 'disabled' : 'active');
const keysText = (client: ClientMetadata) =>
  client.jwks_uri ?? (client.jwks ? `${client.jwks.keys.length} key(s): ${client.jwks.keys.map((k) => k.kid ?? k.kty ?? '?').join(', ')}` : null);

const yesNo = (value: boolean | undefined) => (value ? 'yes' : 'no');

const SHORT_NAME_OF = new Map(Object.entries(EVENT_SHORT_NAMES).map(([name, uri]) => [uri, name]));

/** The partner's event stream (SSF), by the short names `--events` takes; the Authorization value never. */
const eventsFields = (client: ClientMetadata) =>
  client.events_endpoint
    ? ([
      ['events_endpoint', client.events_endpoint],
      ['events_authorization', client.events_authorization_set ? 'set (not shown)' : 'not set'],
      ['events_requested', (client.events_requested ?? REQUESTABLE_EVENTS).map((uri) => SHORT_NAME_OF.get(uri) ?? uri)],
    ] as const)
    : ([['events_endpoint', 'none (no events)']] as const);

export function clientFields(client: ClientMetadata): string {
  const tlsIdentity = client.tls_client_auth_subject_dn ?? (client.tls_client_auth_san_dns ? `DNS:${client.tls_client_auth_san_dns}` : null);
  return fields([
    ['client_id', client.client_id],
    ['client_name', client.client_name],
    ['status', status(client)],
    ['profile', client.profile],
    ['kind', client.resource_server ? 'resource server (introspects tokens)' : 'partner (authorization code)'],
    ['auth_method', client.token_endpoint_auth_method],
    ...(client.token_endpoint_auth_signing_alg ? [['auth_signing_alg', client.token_endpoint_auth_signing_alg] as const] : []),
    ...(tlsIdentity ? [['tls_identity', tlsIdentity] as const] : []),
    ['redirect_uris', client.redirect_uris],
    ...(client.post_logout_redirect_uris?.length ? [['post_logout_redirect_uris', client.post_logout_redirect_uris] as const] : []),
    ['scope', client.scope],
    ['grant_types', client.grant_types],
    ['subject_type', client.subject_type ?? 'public'],
    ['keys', keysText(client)],
    ...(client.id_token_signed_response_alg ? [['id_token_alg', client.id_token_signed_response_alg] as const] : []),
    ['signed_requests', yesNo(client.require_signed_request_object)],
    ['bound_tokens', [client.dpop_bound_access_tokens ? 'DPoP' : '', client.tls_client_certificate_bound_access_tokens ? 'mTLS certificate' : ''].filter(Boolean).join(', ') || 'no'],
    ['grant_management', yesNo(client.grant_management)],
    ...eventsFields(client),
    ['issued_at', fromEpochSeconds(client.client_id_issued_at)],
  ]);
}

export function clientTable(clients: readonly ClientMetadata[], terminalColumns?: number): string {
  return table(
    ['CLIENT_ID', 'NAME', 'STATUS', 'PROFILE', 'AUTH_METHOD', 'SCOPE', 'REDIRECT_URIS'],
    clients.map((c) => [c.client_id, c.client_name, status(c), c.profile, c.token_endpoint_auth_method, c.scope, c.redirect_uris]),
    terminalColumns,
  );
}

/** The secret, once, with the warning that it is not shown again. */
export function printSecretOnce(out: CommandOutput, clientId: string, secret: string): void {
  out.stdout('');
  out.stdout(`client_secret  ${secret}`);
  out.stdout('');
  out.stdout('This secret is shown only now and is not shown again: hand it to the partner through a secure channel.');
  out.stdout(`If it is lost, \`renkei client rotate-secret ${clientId}\` issues a new one.`);
}

/** Human output: the metadata, then the secret if this answer carries one. */
export function printClient(out: CommandOutput, headline: string, client: ClientMetadata): void {
  out.stdout(headline);
  out.stdout(clientFields(client));
  if (client.client_secret) printSecretOnce(out, client.client_id, client.client_secret);
}
