import Router from '@koa/router';
import type { Store } from '../storage/store.js';

/** /healthz: the process answers. /readyz: the store answers too (503 with the reason otherwise). */
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
      ctx.body = { status: 'unavailable', store: store.kind, reason: readiness.reason };
    }
  });
  return router;
}
