import { decodeJwt } from 'jose';

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
