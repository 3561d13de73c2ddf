import { randomBytes } from 'node:crypto';
import type { Context, Middleware } from 'koa';
import type { KeyValueStore } from '../src/storage/key-value-store.js';
import { redisKeys } from '../src/storage/redis-keys.js';

/** A page a step's form was answered with, kept for the GET the browser is sent on to. */
interface KeptPage {
  readonly status: number;
  readonly body: string;
  readonly contentSecurityPolicy?: string | undefined;
}

/** Long enough for the browser to follow the redirect; the page is shown once. */
const KEPT_SECONDS = 60;
const SHOWN_PARAMETER = 'shown';

/**
 * Post/Redirect/Get for the screens' forms. A form answered with a page (a wrong password, the
 * digits again, 「口座を1つ以上選択してください。」) is answered instead with `303` to the
 * interaction's address, where that page is shown once, with its status. Back to it or a reload
 * is then a plain GET of the current step: no "Confirm Form Resubmission" (or ERR_CACHE_MISS)
 * page, and no wrong password sent again and counted again. Redirects pass as they are; error
 * pages raised by the form checks (429, 413, 403) are answered where they arise. When the page
 * cannot be kept (the store away), it is sent as the form's answer as before.
 */
export class FormAnswers {
  constructor(private readonly kv: KeyValueStore) {}

  /** The middleware around a form's handling at `/interaction/:uid/<step>`. */
  seeOther(): Middleware {
    return async (ctx, next) => {
      await next();
      if (ctx.status >= 300 && ctx.status < 400) return;
      if (typeof ctx.body !== 'string' || !ctx.response.is('html')) return;
      const uid = String(ctx.params.uid);
      const page: KeptPage = { status: ctx.status, body: ctx.body, contentSecurityPolicy: ctx.response.get('Content-Security-Policy') || undefined };
      const id = randomBytes(12).toString('base64url');
      try {
        await this.kv.set(redisKeys.interactionShownPage(uid, id), JSON.stringify(page), KEPT_SECONDS);
      } catch {
        return;
      }
      ctx.remove('Content-Security-Policy');
      ctx.status = 303;
      ctx.redirect(`/interaction/${encodeURIComponent(uid)}?${SHOWN_PARAMETER}=${id}`);
    };
  }

  /** Shows the page a form was answered with, once (true); false when there is none for this address. */
  async show(ctx: Context, uid: string): Promise<boolean> {
    const id = ctx.query[SHOWN_PARAMETER];
    if (typeof id !== 'string' || !/^[A-Za-z0-9_-]{16}$/.test(id)) return false;
    const key = redisKeys.interactionShownPage(uid, id);
    const kept = await this.kv.get(key);
    if (kept === undefined) return false;
    await this.kv.delete(key);
    const page = JSON.parse(kept) as KeptPage;
    if (page.contentSecurityPolicy) ctx.set('Content-Security-Policy', page.contentSecurityPolicy);
    ctx.status = page.status;
    ctx.type = 'html';
    ctx.body = page.body;
    return true;
  }
}
