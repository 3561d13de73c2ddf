import type { Context } from 'koa';
import { CustomerPageError } from './customer-page-error.js';

/** A customer form posted from another site: refused with the error page (403). */
export class CrossSitePostRefused extends CustomerPageError {
  readonly error_description = 'the form was not sent from this site';
  constructor() {
    super(403, 'invalid_request', 'form.cross_site');
  }
}

/**
 * true when the browser says the request comes from elsewhere: `Sec-Fetch-Site` other than
 * `same-origin` or `none`, or an `Origin` other than ours. `Origin: null` says nothing: our pages
 * send `Referrer-Policy: no-referrer`, under which browsers post our own forms with `Origin: null`.
 * Without either header (older browsers) the CSRF token alone decides.
 */
export function isCrossSiteRequest(headers: Context['headers'], allowedOrigin: string): boolean {
  const site = headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return true;
  const origin = headers.origin;
  return origin !== undefined && origin !== 'null' && origin !== allowedOrigin;
}

/** CSRF defence in depth for every customer POST, beside the per-form token. */
export function rejectCrossSitePost(ctx: Context, issuer: string): void {
  if (isCrossSiteRequest(ctx.headers, new URL(issuer).origin)) throw new CrossSitePostRefused();
}
