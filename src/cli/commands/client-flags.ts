import { atMostOne, optionalChoice, optionalList, optionalString, type Values } from '../args.js';
import { refused, usageError } from '../cli-errors.js';
import { readJsonFile } from '../json-input.js';
import type { CommandContext } from '../command.js';
import type { OptionSpecs } from '../parse-command-line.js';
import { EVENT_SHORT_NAMES } from '../../events/event-types.js';

export const AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'tls_client_auth', 'self_signed_tls_client_auth', 'none'] as const;
export const PROFILES = ['standard', 'fapi2'] as const;
export const SUBJECT_TYPES = ['public', 'pairwise'] as const;
export const SIGNING_ALGS = ['PS256', 'ES256', 'EdDSA', 'RS256'] as const;
export const GRANT_TYPES = ['authorization_code', 'refresh_token'] as const;

/** Boolean metadata: `--flag` sets it, `--no-flag` clears it (for update). */
const SWITCHES = {
  'resource-server': 'resource_server',
  'require-signed-request': 'require_signed_request_object',
  'certificate-bound-tokens': 'tls_client_certificate_bound_access_tokens',
  'grant-management': 'grant_management',
} as const;

/** The metadata flags of `client create` and `client update`: every field the admin API accepts. */
export const CLIENT_OPTIONS: OptionSpecs = {
  name: { type: 'string' },
  'redirect-uri': { type: 'string', multiple: true },
  'post-logout-redirect-uri': { type: 'string', multiple: true },
  scope: { type: 'string' },
  'auth-method': { type: 'string' },
  'auth-signing-alg': { type: 'string' },
  'id-token-alg': { type: 'string' },
  'jwks-uri': { type: 'string' },
  'jwks-file': { type: 'string' },
  'tls-subject-dn': { type: 'string' },
  'tls-san-dns': { type: 'string' },
  'subject-type': { type: 'string' },
  'grant-type': { type: 'string', multiple: true },
  profile: { type: 'string' },
  'events-endpoint': { type: 'string' },
  'no-events-endpoint': { type: 'boolean' },
  'events-authorization': { type: 'string' },
  events: { type: 'string', multiple: true },
  ...Object.fromEntries(Object.keys(SWITCHES).flatMap((flag) => [[flag, { type: 'boolean' }], [`no-${flag}`, { type: 'boolean' }]])),
};

export const CLIENT_FLAGS_USAGE = [
  '[--scope "openid accounts …"] [--post-logout-redirect-uri URI…]',
  `[--auth-method ${AUTH_METHODS.join('|')}]`,
  '[--jwks-uri URI | --jwks-file FILE] [--tls-subject-dn DN | --tls-san-dns NAME] [--profile standard|fapi2]',
  '[--subject-type public|pairwise] [--resource-server] [--require-signed-request] [--certificate-bound-tokens] [--grant-management]',
  `[--auth-signing-alg ALG] [--id-token-alg ALG] [--grant-type authorization_code|refresh_token…]`,
  '[--events-endpoint URL [--events-authorization VALUE] [--events session-revoked,credential-change] | --no-events-endpoint] [--json]',
].join(' ');

export const CLIENT_NOTES = [
  '--redirect-uri and --grant-type can be repeated (update replaces the whole list). Redirect URIs must be',
  'exact https URLs without a fragment (http only for localhost). --scope takes scopes of the catalogue.',
  '--post-logout-redirect-uri (repeatable, same rules) is where the end-session endpoint may send the customer',
  'back after logout (the partner names it as post_logout_redirect_uri); update replaces the list.',
  '--jwks-file reads a JWKS ({"keys": [...]}) or one JWK of public keys, for private_key_jwt. A fapi2 partner signs',
  'with its keys\' algorithm (P-256: ES256, Ed25519: EdDSA, RSA: PS256); with --jwks-uri give --auth-signing-alg unless PS256.',
  'tls_client_auth needs --tls-subject-dn or --tls-san-dns; self_signed_tls_client_auth needs keys.',
  '--resource-server registers an API that introspects tokens (no redirect URIs, no grants).',
  '--subject-type pairwise gives this partner its own `sub` for each customer.',
  '--grant-management gives the partner Grant Management (grant_id in token responses, grant_management_action,',
  'the grant management endpoint; add the scopes grant_management_query / grant_management_revoke).',
  'The profile fapi2 needs private_key_jwt and keys. On update, --no-resource-server, --no-require-signed-request,',
  '--no-certificate-bound-tokens and --no-grant-management turn those off.',
  '--events-endpoint sets up the partner\'s Shared Signals stream: CAEP events are pushed there (RFC 8935)',
  'with --events-authorization as the Authorization header (e.g. "Bearer …"; stored sealed, never shown; on argv it is',
  'visible in the process list, so renkei warns: client apply with a file only you can read keeps it off the command line),',
  'and a verification event is sent at once. --events picks session-revoked and/or credential-change (default both).',
  'On update, --no-events-endpoint stops the events (queued ones are still delivered).',
];

function readJwks(file: string, cwd: string): { keys: unknown[] } {
  const parsed = readJsonFile(file, cwd, `--jwks-file ${file}`);
  if (parsed && typeof parsed === 'object' && Array.isArray((parsed as { keys?: unknown }).keys)) return { keys: (parsed as { keys: unknown[] }).keys };
  if (parsed && typeof parsed === 'object' && typeof (parsed as { kty?: unknown }).kty === 'string') return { keys: [parsed] };
  throw refused(`cannot use --jwks-file ${file}: it holds neither a JWKS ({"keys": [...]}) nor a JWK`);
}

function switches(values: Values): Record<string, boolean> {
  const metadata: Record<string, boolean> = {};
  for (const [flag, field] of Object.entries(SWITCHES)) {
    if (values[flag] === true && values[`no-${flag}`] === true) throw usageError(`give --${flag} or --no-${flag}, not both`);
    if (values[flag] === true) metadata[field] = true;
    if (values[`no-${flag}`] === true) metadata[field] = false;
  }
  return metadata;
}

const optionalEntry = (name: string, value: string | undefined) => (value !== undefined ? { [name]: value } : {});

/** --events session-revoked,credential-change (repeatable) → event type URIs. */
function eventsRequested(values: Values): string[] | undefined {
  const names = optionalList(values, 'events')?.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  if (names === undefined) return undefined;
  return names.map((name) => {
    const uri = EVENT_SHORT_NAMES[name] ?? (Object.values(EVENT_SHORT_NAMES).includes(name) ? name : undefined);
    if (!uri) throw usageError(`--events takes ${Object.keys(EVENT_SHORT_NAMES).join(', ')} (not "${name}")`);
    return uri;
  });
}

/** RFC 7591 metadata from the flags that were given (only those); a secret given on argv is warned about, as --password is. */
export function clientMetadataFromFlags(values: Values, { cwd, out }: Pick<CommandContext, 'cwd' | 'out'>): Record<string, unknown> {
  if (values['events-authorization'] !== undefined) {
    out.stderr('renkei: warning: --events-authorization is visible in the process list and shell history; prefer renkei client apply with a file only you can read');
  }
  atMostOne(values, 'jwks-uri', 'jwks-file');
  atMostOne(values, 'events-endpoint', 'no-events-endpoint');
  const entries: [string, unknown][] = [
    ['client_name', optionalString(values, 'name')],
    ['redirect_uris', optionalList(values, 'redirect-uri')],
    ['post_logout_redirect_uris', optionalList(values, 'post-logout-redirect-uri')],
    ['scope', optionalString(values, 'scope')?.trim().split(/\s+/).join(' ')],
    ['token_endpoint_auth_method', optionalChoice(values, 'auth-method', AUTH_METHODS)],
    ['token_endpoint_auth_signing_alg', optionalChoice(values, 'auth-signing-alg', SIGNING_ALGS)],
    ['id_token_signed_response_alg', optionalChoice(values, 'id-token-alg', SIGNING_ALGS)],
    ['profile', optionalChoice(values, 'profile', PROFILES)],
    ['subject_type', optionalChoice(values, 'subject-type', SUBJECT_TYPES)],
    ['tls_client_auth_subject_dn', optionalString(values, 'tls-subject-dn')],
    ['tls_client_auth_san_dns', optionalString(values, 'tls-san-dns')],
    ['jwks_uri', optionalString(values, 'jwks-uri')],
  ];
  const grantTypes = optionalList(values, 'grant-type');
  for (const type of grantTypes ?? []) if (!(GRANT_TYPES as readonly string[]).includes(type)) throw usageError(`--grant-type must be one of ${GRANT_TYPES.join(', ')} (not "${type}")`);
  const jwksFile = optionalString(values, 'jwks-file');
  const events = eventsRequested(values);
  return {
    ...Object.fromEntries(entries.filter(([, value]) => value !== undefined)),
    ...(grantTypes !== undefined ? { grant_types: grantTypes } : {}),
    ...(jwksFile !== undefined ? { jwks: readJwks(jwksFile, cwd) } : {}),
    ...optionalEntry('events_endpoint', optionalString(values, 'events-endpoint')),
    ...(values['no-events-endpoint'] === true ? { events_endpoint: null } : {}),
    ...optionalEntry('events_authorization', optionalString(values, 'events-authorization')),
    ...(events !== undefined ? { events_requested: events } : {}),
    ...switches(values),
  };
}
