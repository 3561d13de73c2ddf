import type { Context } from 'koa';
import type { Locale } from './locale.js';
import { PLAIN_RESPONSE_MODES, type PartnerReturn } from './return-to-partner.js';

/**
 * What the pages of an interaction need when the interaction itself cannot be read (expired, or
 * the store away): its language and the way back to the partner. Kept in a signed, HTTP-only
 * cookie of the interaction's own paths (its screens, and oidc-provider's resume endpoint), so
 * that nothing unsigned ever builds the way back.
 */
export interface InteractionMemo {
  readonly locale: Locale;
  readonly partnerReturn?: PartnerReturn | undefined;
}

export const INTERACTION_MEMO_COOKIE = 'renkei_ix';
/** Outlives the interaction, so that an expired one still finds its way back. */
const MEMO_SECONDS = 24 * 3600;
/** A state longer than this is not kept: a way back without the partner's state would be wrong, so none is offered. */
const MAX_STATE_LENGTH = 1024;

/** The interaction's screens and oidc-provider's resume endpoint (`<authorization path>/<uid>`). */
const pathsOf = (uid: string, resumePrefix: string) => [`/interaction/${encodeURIComponent(uid)}`, `${resumePrefix}/${encodeURIComponent(uid)}`];

function encode(uid: string, memo: InteractionMemo): string {
  const keepReturn = memo.partnerReturn && (memo.partnerReturn.state?.length ?? 0) <= MAX_STATE_LENGTH;
  const kept = keepReturn ? { uid, ...memo } : { uid, locale: memo.locale };
  return Buffer.from(JSON.stringify(kept)).toString('base64url');
}

const isText = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

function decode(uid: string, value: string): InteractionMemo | undefined {
  try {
    const memo = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as Partial<InteractionMemo> & { uid?: unknown };
    if (memo.uid !== uid || (memo.locale !== 'ja' && memo.locale !== 'en')) return undefined;
    const back = memo.partnerReturn;
    const wellFormed = back && isText(back.clientId) && isText(back.partnerName) && isText(back.redirectUri)
      && (back.state === undefined || typeof back.state === 'string') && PLAIN_RESPONSE_MODES.includes(back.responseMode);
    return wellFormed ? { locale: memo.locale, partnerReturn: back } : { locale: memo.locale };
  } catch {
    return undefined;
  }
}

/** The memo this browser holds for the interaction, if any (and signed by us). */
export function recallInteraction(ctx: Pick<Context, 'cookies'>, uid: string): InteractionMemo | undefined {
  const value = ctx.cookies.get(INTERACTION_MEMO_COOKIE, { signed: true });
  return value ? decode(uid, value) : undefined;
}

/** Remembers the interaction's language and way back, unless this browser already holds the same. */
export function rememberInteraction(ctx: Context, uid: string, memo: InteractionMemo, resumePrefix: string): void {
  const value = encode(uid, memo);
  if (ctx.cookies.get(INTERACTION_MEMO_COOKIE, { signed: true }) === value) return;
  for (const path of pathsOf(uid, resumePrefix)) {
    ctx.cookies.set(INTERACTION_MEMO_COOKIE, value, { signed: true, httpOnly: true, sameSite: 'lax', secure: ctx.secure, path, maxAge: MEMO_SECONDS * 1000 });
  }
}

/**
 * Where a finished interaction's browser went: on to a new interaction (oidc-provider starts one
 * for the consent once the login is done), or to the partner with its code, or with access_denied
 * after 中止する. The screens' address of the finished one (Back, a stale tab) names an
 * interaction that is gone; signed cookies of that address say which happened (nothing in Redis).
 * Two names, so that a pointer to the next interaction and the ending each stand for their own
 * interaction's address.
 */
export type WentOn = { readonly nextUid: string } | { readonly completed: true } | { readonly cancelled: true };

/** The ending cookie's values ('1': the partner has its code, as cookies set before cancelling was remembered say). */
const ENDINGS = { completed: '1', cancelled: 'cancelled' } as const;

const NEXT_COOKIE = 'renkei_ix_next';
const COMPLETED_COOKIE = 'renkei_ix_done';
const WENT_ON_SECONDS = 3600;

export function rememberWentOn(ctx: Context, uid: string, wentOn: WentOn): void {
  const [name, value] = 'nextUid' in wentOn ? [NEXT_COOKIE, wentOn.nextUid] : [COMPLETED_COOKIE, 'completed' in wentOn ? ENDINGS.completed : ENDINGS.cancelled];
  ctx.cookies.set(name, value, {
    signed: true, httpOnly: true, sameSite: 'lax', secure: ctx.secure, path: `/interaction/${encodeURIComponent(uid)}`, maxAge: WENT_ON_SECONDS * 1000,
  });
}

/** Where this browser went from `uid`, if it holds a cookie we signed for it. */
export function recallWentOn(ctx: Pick<Context, 'cookies'>, uid: string): WentOn | undefined {
  const nextUid = ctx.cookies.get(NEXT_COOKIE, { signed: true });
  if (nextUid && nextUid !== uid && /^[A-Za-z0-9_-]+$/.test(nextUid)) return { nextUid };
  const ending = ctx.cookies.get(COMPLETED_COOKIE, { signed: true });
  if (ending === ENDINGS.completed) return { completed: true };
  return ending === ENDINGS.cancelled ? { cancelled: true } : undefined;
}
