import Koa from 'koa';
import Router from '@koa/router';
import type { Logger } from 'pino';
import { requestContext } from '../shared/request-context.js';
import { adminTokenMatches } from './admin-token.js';

export interface AdminAppDependencies {
  readonly adminToken: string;
  readonly logger: Logger;
}

/** The admin listener (never the public one): bearer-authenticated JSON under /admin/v1/. */
export function createAdminApp({ adminToken, logger }: AdminAppDependencies): Koa {
  const app = new Koa();
  app.use(requestContext(logger));
  app.use(async (ctx, next) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.set('X-Content-Type-Options', 'nosniff');
    await next();
  });

  const router = new Router({ prefix: '/admin/v1' });
  router.use(async (ctx, next) => {
    const header = ctx.get('authorization');
    const presented = /^Bearer (.+)$/i.exec(header)?.[1];
    if (!adminTokenMatches(adminToken, presented)) {
      ctx.status = 401;
      ctx.set('WWW-Authenticate', 'Bearer realm="renkei-admin"');
      ctx.body = { error: 'unauthorized', message: 'a valid admin bearer token is required' };
      return;
    }
    await next();
  });
  router.get('/status', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  app.use(router.routes()).use(router.allowedMethods());
  app.use(async (ctx) => {
    ctx.status = 404;
    ctx.body = { error: 'not_found', message: `no admin route ${ctx.method} ${ctx.path}` };
  });
  return app;
}
