import type { Middleware } from 'koa';
import { rememberNextInteraction } from '../shared/interaction-memo.js';

const RESUMED = /^\/auth\/([^/]+)$/;
const INTERACTION_LOCATION = /^(?:https?:\/\/[^/]+)?\/interaction\/([^/?#]+)$/;

/**
 * At the authorization endpoint's resume step: when it sends the browser on to a new interaction
 * (the consent after the login), the old interaction's screens learn where it went (see
 * rememberNextInteraction), so that Back to them leads there instead of to "expired".
 */
export function pointToNextInteraction(): Middleware {
  return async (ctx, next) => {
    await next();
    const uid = RESUMED.exec(ctx.path)?.[1];
    const nextUid = INTERACTION_LOCATION.exec(ctx.response.get('location'))?.[1];
    if (uid && nextUid && nextUid !== uid) rememberNextInteraction(ctx, decodeURIComponent(uid), decodeURIComponent(nextUid));
  };
}
