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
 * Where a finished interaction's browser went on to: oidc-provider starts a new interaction for the
 * consent once the login is done, so the login screens' address (Back, a stale tab) names one that
 * is gone. A signed cookie of the old interaction's screens names the new one (nothing in Redis).
 */
const NEXT_INTERACTION_COOKIE = 'renkei_ix_next';
const NEXT_INTERACTION_SECONDS = 3600;

export function rememberNextInteraction(ctx: Context, uid: string, nextUid: string): void {
  ctx.cookies.set(NEXT_INTERACTION_COOKIE, nextUid, {
    signed: true, httpOnly: true, sameSite: 'lax', secure: ctx.secure, path: `/interaction/${encodeURIComponent(uid)}`, maxAge: NEXT_INTERACTION_SECONDS * 1000,
  });
}

/** The interaction this browser went on to from `uid`, if it holds one we signed. */
export function recallNextInteraction(ctx: Pick<Context, 'cookies'>, uid: string): string | undefined {
  const next = ctx.cookies.get(NEXT_INTERACTION_COOKIE, { signed: true });
  return next && next !== uid && /^[A-Za-z0-9_-]+$/.test(next) ? next : undefined;
}

/**
 * That an interaction ended with the partner's answer (a code): its screens, opened again (Back
 * after 許可する), say the connection is complete instead of "expired" with a way back that would
 * send the partner an error for a flow it has finished. A signed cookie of its screens' path.
 */
const DONE_INTERACTION_COOKIE = 'renkei_ix_done';

export function rememberInteractionDone(ctx: Context, uid: string): void {
  ctx.cookies.set(DONE_INTERACTION_COOKIE, '1', {
    signed: true, httpOnly: true, sameSite: 'lax', secure: ctx.secure, path: `/interaction/${encodeURIComponent(uid)}`, maxAge: NEXT_INTERACTION_SECONDS * 1000,
  });
}

export function recallInteractionDone(ctx: Pick<Context, 'cookies'>): boolean {
  return ctx.cookies.get(DONE_INTERACTION_COOKIE, { signed: true }) === '1';
}
