import type { ErrorReason, ReturnToPartner } from './error-page.js';

/** What `連携先に戻る` needs to answer the partner's authorization request. */
export interface PartnerReturn {
  readonly clientId: string;
  readonly partnerName: string;
  /** the request's redirect_uri, one the client registered */
  readonly redirectUri: string;
  readonly state?: string | undefined;
  /** how the answer travels: in the query, in the fragment, or posted (form_post) */
  readonly responseMode: PlainResponseMode;
}

/** The response modes whose answer is the parameters as they are (not a signed JWT: JARM). */
export const PLAIN_RESPONSE_MODES = ['query', 'fragment', 'form_post'] as const;
export type PlainResponseMode = (typeof PLAIN_RESPONSE_MODES)[number];

/** The OAuth errors a partner may receive from 連携先に戻る (RFC 6749 §4.1.2.1, OpenID Connect Core §3.1.2.6). */
export type PartnerError = 'access_denied' | 'login_required' | 'temporarily_unavailable' | 'invalid_request' | 'server_error';

/**
 * The error for an error page: the customer stopped or cannot go on (locked, cancelled) →
 * `access_denied`; the screens expired before the customer finished signing in → `login_required`
 * (the partner starts a new request); throttled or the store away → `temporarily_unavailable`.
 */
export function partnerErrorFor(status: number, reason?: ErrorReason): PartnerError {
  if (reason === 'locked' || reason === 'cancelled') return 'access_denied';
  if (reason === 'expired') return 'login_required';
  if (status === 503 || status === 429) return 'temporarily_unavailable';
  if (status >= 500) return 'server_error';
  return 'invalid_request';
}

interface RequestingClient {
  readonly clientId: string;
  readonly partnerName: string;
  readonly redirectUris: readonly string[];
}

/**
 * The way back for an authorization request's parameters, when one can be offered: a registered
 * redirect_uri and a plain answer (query, fragment or form_post). JARM (`jwt` modes) needs a
 * signed answer: none is offered here (a screen whose interaction is still there offers 中止する's
 * way instead, where oidc-provider signs the answer).
 */
export function partnerReturnOf(params: Readonly<Record<string, unknown>>, client: RequestingClient): PartnerReturn | undefined {
  const { redirect_uri: redirectUri, response_mode: mode, state } = params;
  if (typeof redirectUri !== 'string' || !client.redirectUris.includes(redirectUri)) return undefined;
  const responseMode = mode === undefined ? 'query' : PLAIN_RESPONSE_MODES.find((plain) => plain === mode);
  if (!responseMode) return undefined;
  return {
    clientId: client.clientId,
    partnerName: client.partnerName,
    redirectUri,
    ...(typeof state === 'string' ? { state } : {}),
    responseMode,
  };
}

/**
 * `連携先に戻る`: the redirect_uri with the error, `state` and `iss` (RFC 9207), in its query (also
 * for form_post, whose button posts them) or its fragment.
 */
export function returnToPartner(issuer: string, partnerReturn: PartnerReturn, error: PartnerError): ReturnToPartner {
  const url = new URL(partnerReturn.redirectUri);
  const answer = partnerReturn.responseMode === 'fragment' ? new URLSearchParams() : url.searchParams;
  answer.set('error', error);
  if (partnerReturn.state !== undefined) answer.set('state', partnerReturn.state);
  answer.set('iss', issuer);
  if (partnerReturn.responseMode === 'fragment') url.hash = answer.toString();
  return { partnerName: partnerReturn.partnerName, url: url.href, method: partnerReturn.responseMode === 'form_post' ? 'post' : 'get' };
}

/** The way back by error page (status and reason), for the error context of a request. */
export function returnToPartnerFor(issuer: string, partnerReturn: PartnerReturn | undefined) {
  return (status: number, reason?: ErrorReason): ReturnToPartner | undefined =>
    partnerReturn ? returnToPartner(issuer, partnerReturn, partnerErrorFor(status, reason)) : undefined;
}
