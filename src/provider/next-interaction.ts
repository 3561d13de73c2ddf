import type { Middleware } from 'koa';
import { rememberNextInteraction } from '../shared/interaction-memo.js';
import { interactionAt, resumedInteraction } from './provider-endpoints.js';


/**
 * At the authorization endpoint's resume step: when it sends the browser on to a new interaction
 * (the consent after the login), the old interaction's screens learn where it went (see
 * rememberNextInteraction), so that Back to them leads there instead of to "expired".
 */
export function pointToNextInteraction(): Middleware {
  return async (ctx, next) => {
    await next();
    const uid = resumedInteraction(ctx.path);
    const nextUid = interactionAt(ctx.response.get('location'));
    if (uid && nextUid && nextUid !== uid) rememberNextInteraction(ctx, uid, nextUid);
  };
}
