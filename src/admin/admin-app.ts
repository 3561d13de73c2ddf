import Router from '@koa/router';
import Koa from 'koa';
import type { AppContext } from '../services.js';
import { AccessLog } from '../shared/access-log.js';
import { requestContext } from '../shared/request-context.js';
import { AdminError } from './admin-error.js';
import { withActorAudit } from './actor-audit.js';
import { actorOf, authenticate, authenticateScrape, authorize } from './admin-auth.js';
import type { Metrics } from './metrics.js';
import { accountRoutes } from './routes/account-routes.js';
import { clientRoutes } from './routes/client-routes.js';
import { eventRoutes } from './routes/event-routes.js';
import { grantRoutes } from './routes/grant-routes.js';
import { keyRoutes } from './routes/key-routes.js';
import { staffRoutes } from './routes/staff-routes.js';
import { userRoutes } from './routes/user-routes.js';
import { StaffDirectory } from './staff/staff-directory.js';
import { STORE_RETRY_AFTER_SECONDS } from '../storage/store-errors.js';
import { logAppErrors } from '../shared/app-errors.js';

export interface AdminAppDependencies {
  readonly adminToken: string;
  readonly app: AppContext;
  readonly metrics: Metrics;
  /** named staff credentials; by default kept in the app's store */
  readonly staff?: StaffDirectory;
}

const API_PREFIX = '/admin/v1';

/**
 * What no route answered, asked by an authenticated caller (nobody learns which routes exist
 * without a credential): 405 with Allow where the path has routes for other methods, else 404.
 */
function refuseUnrouted(ctx: Koa.Context, api: Router): never {
  const allowed = [...new Set(api.match(ctx.path, ctx.method).path.flatMap((layer) => layer.methods))].sort();
  if (allowed.length === 0) throw new AdminError(404, 'not_found', `no admin route ${ctx.method} ${ctx.path}`);
  ctx.set('Allow', allowed.join(', '));
  throw new AdminError(405, 'method_not_allowed', `${ctx.method} is not allowed on ${ctx.path}; it answers ${allowed.join(', ')}`);
}

/**
 * The admin listener (never the public one): JSON under /admin/v1/ and Prometheus /metrics, both
 * for a bearer credential (RENKEI_ADMIN_TOKEN or a named staff member's), each action checked
 * against the caller's role.
 */
/** A GET of a route that exists, for a record that does not. */
const isAbsentRecord = (ctx: Koa.Context, error: AdminError) =>
  error.status === 404 && (ctx.method === 'GET' || ctx.method === 'HEAD') && (ctx as { _matchedRoute?: unknown })._matchedRoute !== undefined;

export function createAdminApp({ adminToken, app: baseApp, metrics, staff = new StaffDirectory(baseApp.store.kv) }: AdminAppDependencies): Koa {
  const app = withActorAudit(baseApp);
  const authenticated = authenticate({ bootstrapToken: adminToken, staff });
  const admin = new Koa();
  admin.proxy = false;
  logAppErrors(admin, app.logger);
  admin.use(requestContext({
    accessLog: new AccessLog(app.logger),
    observe: metrics.httpObserver('admin'),
    headers: [['Cache-Control', 'no-store'], ['X-Content-Type-Options', 'nosniff']],
  }));
  admin.use(async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      if (error instanceof AdminError) {
        ctx.status = error.status;
        ctx.body = { error: error.error, message: error.message, details: error.details };
        // the outcome of every operator action is audited, refusals included (never the body); a read
        // of a record that is not there is no action (client apply looks a client up before creating it)
        if (isAbsentRecord(ctx, error)) return;
        const actor = actorOf(ctx);
        // the path as asked (which client, which customer: never a secret), besides the route's pattern
        // (a role refused before any route matched has only the API's prefix there)
        baseApp.audit('admin.request_refused', { ...(actor ? { actor: actor.name, actor_role: actor.role } : {}), ip: ctx.ip, method: ctx.method, path: ctx.path, route: String((ctx as { _matchedRoute?: unknown })._matchedRoute ?? ctx.path), status: error.status, error: error.error, outcome: 'refused' });
        return;
      }
      const status = (error as { status?: number }).status ?? 500;
      if (status < 500) {
        ctx.status = status;
        ctx.body = { error: (error as { error?: string }).error ?? 'invalid_request', message: (error as Error).message, details: [] };
        return;
      }
      app.logger.error({ event: 'admin.error', request_id: ctx.state.requestId, err: error }, 'admin request failed');
      ctx.status = status;
      if (status === 503) ctx.set('Retry-After', String((error as { retryAfterSeconds?: number }).retryAfterSeconds ?? STORE_RETRY_AFTER_SECONDS));
      ctx.body = { error: status === 503 ? 'temporarily_unavailable' : 'server_error', message: status === 503 ? 'the store is unavailable' : 'internal error', details: [] };
    }
  });

  const root = new Router();
  root.get('/metrics', authenticateScrape({ bootstrapToken: adminToken, staff }), async (ctx) => {
    ctx.type = metrics.registry.contentType;
    ctx.body = await metrics.registry.metrics();
  });

  const api = new Router({ prefix: API_PREFIX });
  api.use(authenticated, authorize(API_PREFIX));
  api.get('/status', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  for (const routes of [clientRoutes(app), accountRoutes(app), userRoutes(app), grantRoutes(app), eventRoutes(app), keyRoutes(app), staffRoutes(app, staff)]) api.use(routes.routes(), routes.allowedMethods());

  admin.use(root.routes());
  admin.use(api.routes()).use(api.allowedMethods());
  admin.use((ctx) => authenticated(ctx, async () => refuseUnrouted(ctx, api)));
  return admin;
}
