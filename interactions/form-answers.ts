import { randomBytes } from 'node:crypto';
import type { Context, Middleware } from 'koa';
import { afterClientErrorPage } from '../src/shared/error-handler.js';
import type { KeyValueStore } from '../src/storage/key-value-store.js';

/** A page a form was answered with, kept for the GET the browser is sent on to. */
interface KeptPage {
  /** the id in the address the browser was sent to */
  readonly id: string;
  readonly status: number;
  readonly body: string;
  readonly contentSecurityPolicy?: string | undefined;
  /** a 429's wait */
  readonly retryAfter?: string | undefined;
}

/** Where a form's page is shown: the GET address of what the form belongs to, and whose it is. */
export interface FormHome {
  /** the interaction's uid, or 連携サービス管理's session id: a kept page is shown only to it */
  readonly holder: string;
  /** a path (with its query, if any) on this server */
  readonly address: string;
}

/** Long enough for the browser to follow the redirect; the page is shown once. */
const KEPT_SECONDS = 60;
const SHOWN_PARAMETER = 'shown';

/**
 * Post/Redirect/Get for the customer's forms. A form answered with a page (a wrong password, the
 * digits again, 「口座を1つ以上選択してください。」, 連携解除's confirmation) is answered instead
 * with `303` to its GET address, where that page is shown once, with its status. Back to it or a
 * reload is then a plain GET of what the form belongs to as it stands: no "Confirm Form
 * Resubmission" (or ERR_CACHE_MISS) page, and no wrong password sent again and counted again.
 * Redirects pass as they are. Error pages of client errors the form checks raise (429, 403, a
 * form that cannot be read, a CSRF token that does not match) go the same way, once the error
 * handler has rendered them; server errors (the store away) and a form over the size limit are
 * answered where they arise, as is any page that cannot be kept. One page is kept per interaction or session, the last: forms sent again and
 * again (typing slips are not counted as failures) cannot pile pages up in the store.
 */
export class FormAnswers {
  constructor(
    private readonly kv: KeyValueStore,
    /** the store key of a holder's kept page */
    private readonly keyOf: (holder: string) => string,
  ) {}

  /** The middleware around a form's handling; `homeOf` is asked once the form has been answered. */
  seeOther(homeOf: (ctx: Context) => FormHome | undefined): Middleware {
    const keep = (ctx: Context) => this.keep(ctx, homeOf);
    return async (ctx, next) => {
      afterClientErrorPage(ctx, keep);
      await next();
      await keep(ctx);
    };
  }

  /** The page the form was answered with, kept and replaced by `303` to its home. */
  private async keep(ctx: Context, homeOf: (ctx: Context) => FormHome | undefined): Promise<void> {
    if ((ctx.status >= 300 && ctx.status < 400) || ctx.status === 413) return;
    if (typeof ctx.body !== 'string' || !ctx.response.is('html')) return;
    const home = homeOf(ctx);
    if (!home) return;
    const id = randomBytes(12).toString('base64url');
    const page: KeptPage = {
      id, status: ctx.status, body: ctx.body,
      contentSecurityPolicy: ctx.response.get('Content-Security-Policy') || undefined,
      retryAfter: ctx.response.get('Retry-After') || undefined,
    };
    try {
      await this.kv.set(this.keyOf(home.holder), JSON.stringify(page), KEPT_SECONDS);
    } catch {
      return;
    }
    ctx.remove('Retry-After');
    ctx.status = 303;
    ctx.redirect(`${home.address}${home.address.includes('?') ? '&' : '?'}${SHOWN_PARAMETER}=${id}`);
  }

  /**
   * Shows the page a form of `holder` was answered with, once (true); false when there is none at
   * this address. Taken by a GET only (a HEAD leaves it), and by one request only.
   */
  async show(ctx: Context, holder: string): Promise<boolean> {
    const id = ctx.query[SHOWN_PARAMETER];
    if (ctx.method !== 'GET' || typeof id !== 'string' || !/^[A-Za-z0-9_-]{16}$/.test(id)) return false;
    const key = this.keyOf(holder);
    const kept = await this.kv.get(key);
    if (kept === undefined) return false;
    const page = JSON.parse(kept) as KeptPage;
    if (page.id !== id || !(await this.kv.deleteIfHolds(key, kept))) return false;
    if (page.contentSecurityPolicy) ctx.set('Content-Security-Policy', page.contentSecurityPolicy);
    if (page.retryAfter) ctx.set('Retry-After', page.retryAfter);
    ctx.status = page.status;
    ctx.type = 'html';
    ctx.body = page.body;
    return true;
  }
}
