import type { Context } from 'koa';
import { decodeJwt } from 'jose';
import { readBody } from '../shared/read-body.js';

/** oidc-provider's own limit for these bodies (lib/shared/selective_body.js) */
const MAX_BODY_BYTES = 56 * 1024;

export type FormRead = { readonly form: URLSearchParams } | { readonly refused: 'too_large' | 'unreadable' | 'encoded' };

/**
 * Reads an application/x-www-form-urlencoded body and leaves it, unparsed, where oidc-provider
 * reads an already-read body from (`ctx.request.body`), so it parses exactly the same bytes.
 * oidc-provider notes this once per process ("already parsed request body detected").
 */
export async function readTokenEndpointForm(ctx: Context): Promise<FormRead> {
  if (!ctx.is('application/x-www-form-urlencoded')) return { form: new URLSearchParams() };
  // a compressed body would be read as its bytes: parameters silently missing (RFC 9110 §8.4.1: 415)
  const coding = ctx.get('content-encoding').trim().toLowerCase();
  if (coding && coding !== 'identity') return { refused: 'encoded' };
  const raw = await readBody(ctx.req, MAX_BODY_BYTES);
  if (!Buffer.isBuffer(raw)) return { refused: raw };
  (ctx.request as { body?: unknown }).body = raw;
  return { form: new URLSearchParams(raw.toString('utf8')) };
}

function basicPart(authorization: string, part: 'user' | 'password'): string | undefined {
  const [scheme, credentials, ...rest] = authorization.split(' ');
  if (scheme?.toLowerCase() !== 'basic' || !credentials || rest.length) return undefined;
  const decoded = Buffer.from(credentials, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) return undefined;
  try {
    // RFC 6749 §2.3.1: client_id and secret are form-urlencoded before they are put in the Basic credentials
    return decodeURIComponent((part === 'user' ? decoded.slice(0, colon) : decoded.slice(colon + 1)).replace(/\+/g, '%20'));
  } catch {
    return undefined;
  }
}

const basicUser = (authorization: string) => basicPart(authorization, 'user');

/**
 * The client secret a request presents (Basic password, else the `client_secret` parameter as
 * oidc-provider parsed it), for choosing which of a client's secrets oidc-provider compares it with.
 */
export function presentedClientSecret(authorization: string | undefined, clientSecretParameter: unknown): string | undefined {
  if (typeof clientSecretParameter === 'string' && clientSecretParameter) return clientSecretParameter;
  return authorization ? basicPart(authorization, 'password') : undefined;
}

function assertionSubject(assertion: string): string | undefined {
  try {
    const { sub } = decodeJwt(assertion);
    return typeof sub === 'string' ? sub : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The client a request says it comes from, before anything is verified: the Basic user, else
 * `client_id`, else the client assertion's `sub`. Used only to refuse clients that are over their
 * failure budget; oidc-provider authenticates the request afterwards.
 */
export function claimedClientId(authorization: string, form: URLSearchParams): string | undefined {
  if (authorization) return basicUser(authorization);
  const clientId = form.get('client_id');
  if (clientId) return clientId;
  const assertion = form.get('client_assertion');
  return assertion ? assertionSubject(assertion) : undefined;
}
