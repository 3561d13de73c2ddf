import type { Middleware } from 'koa';
import { recallInteraction, rememberInteraction, rememberWentOn } from '../shared/interaction-memo.js';
import { interactionAt, PROVIDER_PATHS, resumedInteraction } from './provider-endpoints.js';

/**
 * What a redirect hands the partner: a code (or a JARM response, which only a finished flow
 * sends), access_denied (中止する), or neither.
 */
function answerIn(location: string): 'code' | 'access_denied' | undefined {
  const url = URL.parse(location);
  if (!url) return undefined;
  const query = new URLSearchParams(url.search);
  const fragment = new URLSearchParams(url.hash.slice(1));
  if (['code', 'response'].some((name) => query.has(name) || fragment.has(name))) return 'code';
  return query.get('error') === 'access_denied' || fragment.get('error') === 'access_denied' ? 'access_denied' : undefined;
}

/**
 * At the authorization endpoint's resume step: when it sends the browser on to a new interaction
 * (the consent after the login), the old interaction's screens learn where it went, so that Back
 * to them leads there instead of to "expired"; when it hands the partner a code or access_denied,
 * they learn the flow is complete or cancelled (rememberWentOn).
 */
export function pointToNextInteraction(): Middleware {
  return async (ctx, next) => {
    await next();
    const uid = resumedInteraction(ctx.path);
    if (!uid) return;
    const location = ctx.response.get('location');
    const nextUid = interactionAt(location);
    if (nextUid && nextUid !== uid) {
      // the next interaction (the consent) speaks the language the authorization request chose
      const memo = recallInteraction(ctx, uid);
      if (memo) rememberInteraction(ctx, nextUid, { locale: memo.locale, partnerReturn: memo.partnerReturn }, PROVIDER_PATHS.authorization);
      rememberWentOn(ctx, uid, { nextUid });
      return;
    }
    const answer = !nextUid && location ? answerIn(location) : undefined;
    if (answer === 'code') rememberWentOn(ctx, uid, { completed: true });
    else if (answer === 'access_denied') rememberWentOn(ctx, uid, { cancelled: true });
  };
}
