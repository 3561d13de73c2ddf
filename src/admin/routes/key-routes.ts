import Router from '@koa/router';
import type { Context } from 'koa';
import type { AppContext } from '../../services.js';
import { AdminError } from '../admin-error.js';
import { retireAfterSeconds } from '../../keys/keyring.js';
import { guard, readJson } from '../admin-guard.js';

const rotateGuard = guard<{ delay_seconds?: number }>({
  type: 'object',
  additionalProperties: false,
  properties: { delay_seconds: { type: 'integer', minimum: 0, maximum: 2592000 } },
});

async function optionalJson(ctx: Context): Promise<unknown> {
  return ctx.request.length || ctx.get('content-type') ? readJson(ctx) : {};
}

/** Public facts about the signing keys, and staged rotation. */
export function keyRoutes(app: AppContext): Router {
  const router = new Router({ prefix: '/keys' });

  router.get('/', (ctx) => {
    const { statuses } = app.keyring.schedule();
    ctx.body = app.keyring.list().map((key) => ({
      kid: key.kid,
      alg: key.alg,
      kty: key.kty,
      use: key.use ?? 'sig',
      status: statuses.get(key.kid),
      signs_from: key.renkei_not_before ? new Date(key.renkei_not_before * 1000).toISOString() : null,
      published_until: key.renkei_not_after ? new Date(key.renkei_not_after * 1000).toISOString() : null,
    }));
  });

  router.post('/rotate', async (ctx) => {
    const { delay_seconds: delay = app.settings.config.keys.rotationDelaySeconds } = rotateGuard(await optionalJson(ctx));
    let result;
    try {
      result = await app.keyring.rotate({ delaySeconds: delay, retireAfterSeconds: retireAfterSeconds(app.settings.config.ttl) });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EACCES' || code === 'EROFS' || code === 'EPERM') {
        throw new AdminError(409, 'conflict', `the keys directory is not writable here (${code}); rotate where keys/jwks.json is kept`);
      }
      throw error;
    }
    app.audit('keys.rotated', { ip: ctx.ip, outcome: 'success', added: result.added.map((k) => k.kid), retiring: result.retiring.map((k) => k.kid) });
    ctx.body = result;
  });
  return router;
}
