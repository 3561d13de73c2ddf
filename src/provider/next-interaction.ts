import type { Middleware } from 'koa';
import { rememberWentOn } from '../shared/interaction-memo.js';
import { interactionAt, resumedInteraction } from './provider-endpoints.js';

/** Whether a redirect hands the partner its answer: a code (or a JARM response carrying one). */
function answersWithCode(location: string): boolean {
  const url = URL.parse(location);
  if (!url) return false;
  const query = new URLSearchParams(url.search);
  const fragment = new URLSearchParams(url.hash.slice(1));
  return ['code', 'response'].some((name) => query.has(name) || fragment.has(name));
}

/**
 * At the authorization endpoint's resume step: when it sends the browser on to a new interaction
 * (the consent after the login), the old interaction's screens learn where it went, so that Back
 * to them leads there instead of to "expired"; when it hands the partner a code, they learn the
 * flow is complete (rememberWentOn).
 */
export function pointToNextInteraction(): Middleware {
  return async (ctx, next) => {
    await next();
    const uid = resumedInteraction(ctx.path);
    if (!uid) return;
    const location = ctx.response.get('location');
    const nextUid = interactionAt(location);
    if (nextUid && nextUid !== uid) rememberWentOn(ctx, uid, { nextUid });
    else if (!nextUid && location && answersWithCode(location)) rememberWentOn(ctx, uid, { completed: true });
  };
}
