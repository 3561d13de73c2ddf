import Provider, { type Configuration } from 'oidc-provider';
import type { Logger } from 'pino';
import type { ClientProfile } from './client-record.js';
import { screenPartnerKeys, type KeyRefusal } from './partner-keys.js';
import { renkeiMetadata } from '../provider/client-metadata.js';

type Fetch = NonNullable<Configuration['fetch']>;

/** A partner's key set is a few keys; anything far larger is refused before it is parsed. */
export const MAX_JWKS_BYTES = 256 * 1024;
/** a set of many bad keys is logged by its first few and a count, not line by line */
const MAX_LOGGED_REFUSALS = 10;
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);
/** these described the body as it came; the screened body is new */
const BODY_HEADERS = ['content-length', 'content-encoding', 'transfer-encoding'];

export interface PartnerJwksFetchOptions {
  readonly logger: Logger;
  /**
   * development only: a jwks_uri on a loopback address is fetched without oidc-provider's guard
   * against private and loopback addresses (a partner running on the developer's machine)
   */
  readonly allowLoopback: boolean;
}

async function readBounded(response: Response): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let received = 0;
  for await (const chunk of response.body ?? []) {
    received += (chunk as Uint8Array).length;
    // leaving the loop cancels the body
    if (received > MAX_JWKS_BYTES) throw new Error(`jwks_uri response larger than ${MAX_JWKS_BYTES} bytes`);
    chunks.push(Buffer.from(chunk as Uint8Array));
  }
  return Buffer.concat(chunks);
}

function parseKeySet(body: Buffer): { keys: unknown[] } | undefined {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as unknown;
    const keys = (parsed as { keys?: unknown } | null)?.keys;
    return Array.isArray(keys) ? (parsed as { keys: unknown[] }) : undefined;
  } catch {
    return undefined;
  }
}

interface JwksClient {
  readonly clientId: string;
  readonly profile: ClientProfile;
}

/** The client whose jwks_uri this request fetches (oidc-provider refreshes a key set inside the request that needs it). */
function jwksClientOf(url: string): JwksClient | undefined {
  const client = Provider.ctx?.oidc?.client;
  if (!client?.jwksUri || URL.parse(client.jwksUri)?.href !== url) return undefined;
  return { clientId: client.clientId, profile: renkeiMetadata(client).profile === 'fapi2' ? 'fapi2' : 'standard' };
}

function withoutAddressGuard(init: RequestInit): RequestInit {
  const { dispatcher: _guard, ...rest } = init as RequestInit & { dispatcher?: unknown };
  return rest;
}

function logRefusals(logger: Logger, clientId: string, refused: readonly KeyRefusal[]): void {
  for (const { index, kid, reason } of refused.slice(0, MAX_LOGGED_REFUSALS)) {
    logger.warn({ event: 'client.jwks_key_refused', client_id: clientId, kid: kid ?? null, key_index: index, reason }, "a key served at the client's jwks_uri was refused");
  }
  if (refused.length > MAX_LOGGED_REFUSALS) {
    logger.warn({ event: 'client.jwks_key_refused', client_id: clientId, more: refused.length - MAX_LOGGED_REFUSALS }, 'more keys at the jwks_uri were refused');
  }
}

/** The same answer with the refused keys taken out of the set. */
async function screenedResponse(response: Response, client: JwksClient, logger: Logger): Promise<Response> {
  const body = await readBounded(response).catch((error: Error) => {
    logger.warn({ event: 'client.jwks_refused', client_id: client.clientId, reason: error.message }, "the client's jwks_uri answer was refused");
    throw error;
  });
  const keySet = parseKeySet(body);
  const headers = new Headers(response.headers);
  for (const name of BODY_HEADERS) headers.delete(name);
  // not a key set: oidc-provider refuses it with its own error
  if (!keySet) return new Response(new Uint8Array(body), { status: response.status, headers });
  const { accepted, refused } = await screenPartnerKeys(keySet.keys, client.profile);
  logRefusals(logger, client.clientId, refused);
  headers.set('content-type', 'application/json');
  return new Response(JSON.stringify({ ...keySet, keys: accepted }), { status: response.status, headers });
}

/**
 * oidc-provider's `fetch`: a key set fetched from a client's jwks_uri reaches the provider with
 * the keys the partner-key rules refuse taken out (SPEC §5), so none of them can ever verify a
 * client assertion or request object. The other keys of the set stay usable. Each refused key is
 * logged at each fetch with the client, its kid and the reason, never the key itself. Every other
 * fetch passes through untouched.
 */
export function createPartnerJwksFetch({ logger, allowLoopback }: PartnerJwksFetchOptions): Fetch {
  return async (input, init = {}) => {
    const url = input instanceof Request ? input.url : String(input);
    const client = jwksClientOf(url);
    const loopback = LOOPBACK.has(URL.parse(url)?.hostname ?? '');
    const response = await globalThis.fetch(input, client && allowLoopback && loopback ? withoutAddressGuard(init) : init);
    return client && response.status === 200 ? screenedResponse(response, client, logger) : response;
  };
}
