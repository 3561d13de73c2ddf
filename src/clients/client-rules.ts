import type { RenkeiConfig } from '../settings/types.js';
import { FAPI_SIGNING_ALGS, MTLS_METHODS, type ClientInput } from './client-record.js';
import { REQUESTABLE_EVENTS } from '../events/event-types.js';
import { refusedLiteral } from '../events/receiver-address.js';

export interface RuleProblem {
  readonly path: string;
  readonly message: string;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

export interface ClientRuleOptions {
  /** development only: a jwks_uri on a loopback address may be plain http (a partner on the developer's machine) */
  readonly loopbackJwksUri?: boolean;
}

/** A URL we fetch must not carry credentials: they would travel in every error message and log line about it. */
const carriesCredentials = (url: URL | null) => Boolean(url && (url.username || url.password));

function checkJwksUri(uri: string, { loopbackJwksUri = false }: ClientRuleOptions): RuleProblem | undefined {
  const url = URL.parse(uri);
  if (carriesCredentials(url)) return { path: '/jwks_uri', message: 'jwks_uri must not carry credentials (user:password@)' };
  if (loopbackJwksUri && url?.protocol === 'http:' && LOOPBACK.has(url.hostname)) return undefined;
  if (url?.protocol !== 'https:') return { path: '/jwks_uri', message: 'jwks_uri must be an https URL' };
  // in production the server would connect there (oidc-provider's guard cuts the socket only once connected)
  const privateLiteral = loopbackJwksUri ? undefined : refusedLiteral(url);
  return privateLiteral ? { path: '/jwks_uri', message: `jwks_uri must be reachable on a public address: ${privateLiteral.message}` } : undefined;
}

/** SSF push delivery: an https endpoint (plain http on loopback in development), its events known. */
function checkEvents(input: ClientInput, { loopbackJwksUri = false }: ClientRuleOptions): RuleProblem[] {
  const problems: RuleProblem[] = [];
  if (input.events_endpoint != null) {
    const url = URL.parse(input.events_endpoint);
    const loopbackHttp = loopbackJwksUri && url?.protocol === 'http:' && LOOPBACK.has(url.hostname);
    // production never sends to such an address (push-delivery.ts); a literal one is refused now, a name when it is sent to
    const privateLiteral = !loopbackJwksUri && url ? refusedLiteral(url) : undefined;
    if (url?.protocol !== 'https:' && !loopbackHttp) problems.push({ path: '/events_endpoint', message: 'events_endpoint must be an https URL' });
    else if (carriesCredentials(url)) problems.push({ path: '/events_endpoint', message: 'events_endpoint must not carry credentials (user:password@): give the receiver\'s Authorization value as events_authorization' });
    else if (privateLiteral) problems.push({ path: '/events_endpoint', message: `events_endpoint must be reachable on a public address: ${privateLiteral.message}` });
  }
  if (input.events_authorization !== undefined && input.events_endpoint == null) {
    problems.push({ path: '/events_authorization', message: 'events_authorization needs events_endpoint' });
  }
  for (const type of input.events_requested ?? []) {
    if (!REQUESTABLE_EVENTS.includes(type)) problems.push({ path: '/events_requested', message: `unknown event type ${type} (known: ${REQUESTABLE_EVENTS.join(', ')})` });
  }
  return problems;
}

function checkRedirectUri(uri: string, index: number, field: 'redirect_uris' | 'post_logout_redirect_uris' = 'redirect_uris'): RuleProblem | undefined {
  const path = `/${field}/${index}`;
  const url = URL.parse(uri);
  if (!url) return { path, message: `${uri} is not an absolute URL` };
  if (url.hash || uri.includes('#')) return { path, message: `${uri} must not contain a fragment` };
  if (uri.includes('*')) return { path, message: `${uri} must be exact (no wildcards)` };
  // shapes that URL parsers read differently (RFC 9700 §4.1.3: the partner's own parser decides where a redirect goes)
  if (uri.includes('\\')) return { path, message: `${uri} must not contain a backslash` };
  if (carriesCredentials(url)) return { path, message: `${uri} must not carry user:password@` };
  if (/\/\.\.?(?:[/?]|$)/.test(uri.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, ''))) return { path, message: `${uri} must not contain . or .. path segments` };
  if (url.hostname.endsWith('.')) return { path, message: `${uri} must not have a host ending in a dot` };
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && LOOPBACK.has(url.hostname)) return undefined;
  return { path, message: `${uri} must be an https URL (http only for loopback)` };
}

/**
 * The registration rules of the operators issue, each problem named by its path. The keys
 * themselves are checked by partner-keys (asynchronously: they have to be imported).
 */
export function checkClientRules(input: ClientInput, scopes: RenkeiConfig['scopes'], options: ClientRuleOptions = {}): RuleProblem[] {
  const problems: RuleProblem[] = [];
  if (input.resource_server) {
    if (input.redirect_uris.length) problems.push({ path: '/redirect_uris', message: 'a resource server has no redirect URIs' });
    if (input.profile === 'fapi2') problems.push({ path: '/profile', message: 'a resource server has no profile' });
    if (input.grant_management) problems.push({ path: '/grant_management', message: 'a resource server has no grants to manage' });
    if (input.post_logout_redirect_uris?.length) problems.push({ path: '/post_logout_redirect_uris', message: 'a resource server has no post-logout redirect URIs' });
  } else if (input.redirect_uris.length === 0) {
    problems.push({ path: '/redirect_uris', message: 'at least one redirect URI is required' });
  }
  input.redirect_uris.forEach((uri, i) => {
    const problem = checkRedirectUri(uri, i);
    if (problem) problems.push(problem);
  });
  input.post_logout_redirect_uris?.forEach((uri, i) => {
    const problem = checkRedirectUri(uri, i, 'post_logout_redirect_uris');
    if (problem) problems.push(problem);
  });
  for (const scope of (input.scope ?? '').split(' ').filter(Boolean)) {
    if (!scopes[scope]) problems.push({ path: '/scope', message: `unknown scope ${scope} (known: ${Object.keys(scopes).join(', ')})` });
  }
  const method = input.token_endpoint_auth_method ?? (input.profile === 'fapi2' ? 'private_key_jwt' : 'client_secret_basic');
  if (method === 'private_key_jwt' && !input.jwks && !input.jwks_uri) {
    problems.push({ path: '/token_endpoint_auth_method', message: 'private_key_jwt needs jwks or jwks_uri' });
  }
  if (input.token_endpoint_auth_signing_alg && method !== 'private_key_jwt') {
    problems.push({ path: '/token_endpoint_auth_signing_alg', message: `token_endpoint_auth_signing_alg is for private_key_jwt clients (this one authenticates with ${method})` });
  }
  if (input.jwks && input.jwks_uri) problems.push({ path: '/jwks', message: 'give jwks or jwks_uri, not both' });
  const jwksUriProblem = input.jwks_uri ? checkJwksUri(input.jwks_uri, options) : undefined;
  if (jwksUriProblem) problems.push(jwksUriProblem);
  if (method === 'tls_client_auth' && !input.tls_client_auth_subject_dn && !input.tls_client_auth_san_dns) {
    problems.push({ path: '/token_endpoint_auth_method', message: 'tls_client_auth needs tls_client_auth_subject_dn or tls_client_auth_san_dns' });
  }
  if (method === 'self_signed_tls_client_auth' && !input.jwks && !input.jwks_uri) {
    problems.push({ path: '/token_endpoint_auth_method', message: 'self_signed_tls_client_auth needs jwks (with x5c) or jwks_uri' });
  }
  problems.push(...checkEvents(input, options));
  if (input.profile === 'fapi2') {
    if (method !== 'private_key_jwt' && !MTLS_METHODS.includes(method)) {
      problems.push({ path: '/token_endpoint_auth_method', message: `profile fapi2 requires private_key_jwt or mutual TLS (not ${method})` });
    }
    for (const field of ['token_endpoint_auth_signing_alg', 'id_token_signed_response_alg'] as const) {
      const alg = input[field];
      if (alg && !FAPI_SIGNING_ALGS.includes(alg)) problems.push({ path: `/${field}`, message: `profile fapi2 allows ${FAPI_SIGNING_ALGS.join(', ')} only (not ${alg})` });
    }
  }
  return problems;
}
