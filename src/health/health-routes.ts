import Router from '@koa/router';
import { STORE_RETRY_AFTER_SECONDS } from '../storage/store-errors.js';
import type { Store } from '../storage/store.js';

/** /healthz: the process answers. /readyz: the store answers too (503 with the reason and Retry-After otherwise). */
export function healthRoutes(store: Store): Router {
  const router = new Router();
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
    const readiness = await store.checkReadiness();
    if (readiness.ready) {
      ctx.body = { status: 'ready', store: store.kind };
    } else {
      ctx.status = 503;
      ctx.set('Retry-After', String(STORE_RETRY_AFTER_SECONDS));
      ctx.body = { status: 'unavailable', store: store.kind, reason: readiness.reason };
    }
  });
  return router;
}
