import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import { atMostOne, optionalChoice, optionalList, optionalString, type Values } from '../args.js';
import { refused } from '../cli-errors.js';

export const AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'] as const;
export const PROFILES = ['standard', 'fapi2'] as const;

/** The metadata flags of `client create` and `client update`. */
export const CLIENT_OPTIONS = {
  name: { type: 'string' },
  'redirect-uri': { type: 'string', multiple: true },
  scope: { type: 'string' },
  'auth-method': { type: 'string' },
  'jwks-uri': { type: 'string' },
  'jwks-file': { type: 'string' },
  profile: { type: 'string' },
} satisfies NonNullable<ParseArgsConfig['options']>;

export const CLIENT_FLAGS_USAGE = [
  '[--scope "openid accounts …"]',
  `[--auth-method ${AUTH_METHODS.join('|')}]`,
  '[--jwks-uri URI | --jwks-file FILE] [--profile standard|fapi2] [--json]',
].join(' ');

export const CLIENT_NOTES = [
  '--redirect-uri can be repeated (update replaces the whole list). Redirect URIs must be exact https',
  'URLs without a fragment (http only for localhost). --scope takes scopes of the catalogue.',
  '--jwks-file reads a JWKS ({"keys": [...]}) or one JWK of public keys, for private_key_jwt.',
  'The profile fapi2 needs private_key_jwt and keys.',
];

function readJwks(file: string, cwd: string): { keys: unknown[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(resolve(cwd, file), 'utf8'));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'not valid JSON';
    throw refused(`cannot use --jwks-file ${file}: ${reason}`);
  }
  if (parsed && typeof parsed === 'object' && Array.isArray((parsed as { keys?: unknown }).keys)) return { keys: (parsed as { keys: unknown[] }).keys };
  if (parsed && typeof parsed === 'object' && typeof (parsed as { kty?: unknown }).kty === 'string') return { keys: [parsed] };
  throw refused(`cannot use --jwks-file ${file}: it holds neither a JWKS ({"keys": [...]}) nor a JWK`);
}

/** RFC 7591 metadata from the flags that were given (only those). */
export function clientMetadataFromFlags(values: Values, cwd: string): Record<string, unknown> {
  atMostOne(values, 'jwks-uri', 'jwks-file');
  const name = optionalString(values, 'name');
  const redirectUris = optionalList(values, 'redirect-uri');
  const scope = optionalString(values, 'scope');
  const authMethod = optionalChoice(values, 'auth-method', AUTH_METHODS);
  const profile = optionalChoice(values, 'profile', PROFILES);
  const jwksUri = optionalString(values, 'jwks-uri');
  const jwksFile = optionalString(values, 'jwks-file');
  return {
    ...(name !== undefined ? { client_name: name } : {}),
    ...(redirectUris !== undefined ? { redirect_uris: redirectUris } : {}),
    ...(scope !== undefined ? { scope: scope.trim().split(/\s+/).join(' ') } : {}),
    ...(authMethod !== undefined ? { token_endpoint_auth_method: authMethod } : {}),
    ...(profile !== undefined ? { profile } : {}),
    ...(jwksUri !== undefined ? { jwks_uri: jwksUri } : {}),
    ...(jwksFile !== undefined ? { jwks: readJwks(jwksFile, cwd) } : {}),
  };
}
