import Router from '@koa/router';
import type { AppContext } from '../../services.js';

/** Public facts about the signing keys: which one signs for each algorithm, which are only published. */
export function keyRoutes(app: AppContext): Router {
  const router = new Router({ prefix: '/keys' });
  router.get('/', (ctx) => {
    const signing = new Set<string>();
    ctx.body = app.keys.jwks.keys.map((key) => {
      const status = signing.has(key.alg) ? 'published' : 'signing';
      signing.add(key.alg);
      return { kid: key.kid, alg: key.alg, kty: key.kty, use: key.use ?? 'sig', status };
    });
  });
  return router;
}
