import type { ReturnToPartner } from '../src/shared/error-page.js';
import type { InteractionView } from './interaction-context.js';

/** The OAuth error the partner receives for an error page's status (RFC 6749 §4.1.2.1). */
export function partnerErrorFor(status: number): string {
  if (status === 503 || status === 429) return 'temporarily_unavailable';
  if (status >= 500) return 'server_error';
  return 'invalid_request';
}

/**
 * `連携先に戻る` on an error page of this interaction: the registered redirect_uri with the error,
 * `state` and `iss` (RFC 9207), built without the store so that it works while Redis is away. Not
 * offered where the answer must be a signed JWT (JARM, `response_mode=jwt`) or a form post.
 */
export function returnToPartnerFor(issuer: string, view: InteractionView): (status: number) => ReturnToPartner | undefined {
  const { params } = view.details;
  const redirectUri = typeof params.redirect_uri === 'string' ? params.redirect_uri : undefined;
  const plainQuery = params.response_mode === undefined || params.response_mode === 'query';
  if (!redirectUri || !view.redirectUris.includes(redirectUri) || !plainQuery) return () => undefined;
  return (status) => {
    const url = new URL(redirectUri);
    url.searchParams.set('error', partnerErrorFor(status));
    if (typeof params.state === 'string') url.searchParams.set('state', params.state);
    url.searchParams.set('iss', issuer);
    return { partnerName: view.partnerName, url: url.href };
  };
}
