import type { Middleware } from 'koa';
import { recallInteraction, rememberInteraction, rememberWentOn } from '../shared/interaction-memo.js';
import { postedParameters } from './form-post-page.js';
import { interactionAt, PROVIDER_PATHS, resumedInteraction } from './provider-endpoints.js';

/**
 * What the partner is handed, by a redirect's query or fragment or by a form_post page's fields: a
 * code (or a JARM response, which only a finished flow sends), access_denied (中止する), or neither.
 */
function answerIn(parameters: readonly URLSearchParams[]): 'code' | 'access_denied' | undefined {
  if (parameters.some((answer) => answer.has('code') || answer.has('response'))) return 'code';
  return parameters.some((answer) => answer.get('error') === 'access_denied') ? 'access_denied' : undefined;
}

function parametersOf(location: string): URLSearchParams[] {
  const url = URL.parse(location);
  return url ? [new URLSearchParams(url.search), new URLSearchParams(url.hash.slice(1))] : [];
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
      if (memo) rememberInteraction(ctx, nextUid, memo, PROVIDER_PATHS.authorization);
      rememberWentOn(ctx, uid, { nextUid });
      return;
    }
    if (nextUid) return;
    // a redirect's parameters, or (response_mode=form_post) those of the page that posts them
    const answer = answerIn(location ? parametersOf(location) : [postedParameters(ctx.body) ?? new URLSearchParams()]);
    if (answer === 'code') rememberWentOn(ctx, uid, { completed: true });
    else if (answer === 'access_denied') rememberWentOn(ctx, uid, { cancelled: true });
  };
}
