import Router from '@koa/router';
import { STORE_RETRY_AFTER_SECONDS } from '../storage/store-errors.js';
import type { Store } from '../storage/store.js';
import type { DataKeyStanding } from '../keys/data-key-check.js';

/**
 * /healthz: the process answers. /readyz: the store answers too, and the data keys open what it
 * holds (503 with the reason and Retry-After otherwise).
 */
export function healthRoutes(store: Store, dataKeys: () => Promise<DataKeyStanding>): Router {
  const router = new Router();
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
    const storeReadiness = await store.checkReadiness();
    const keys = storeReadiness.ready ? await dataKeys().catch((error: Error) => ({ ok: false as const, reason: `redis: ${error.message}` })) : undefined;
    const readiness = keys && !keys.ok ? { ready: false, reason: keys.reason } : storeReadiness;
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
