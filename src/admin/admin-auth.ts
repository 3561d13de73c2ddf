import type { Context, Middleware } from 'koa';
import { requiredRole } from './access-policy.js';
import { runAs } from './actor-audit.js';
import { AdminError } from './admin-error.js';
import { adminTokenMatches } from './admin-token.js';
import type { StaffDirectory } from './staff/staff-directory.js';
import { BOOTSTRAP_ACTOR, roleAllows, rolesAtLeast, type StaffActor } from './staff/staff-roles.js';
import { StoreUnavailable } from '../storage/store-errors.js';

export interface AdminAuthDependencies {
  /** RENKEI_ADMIN_TOKEN: the bootstrap credential */
  readonly bootstrapToken: string;
  readonly staff: StaffDirectory;
}

export const actorOf = (ctx: Context): StaffActor | undefined => ctx.state.staff as StaffActor | undefined;

const presentedToken = (ctx: Context) => /^Bearer (.+)$/i.exec(ctx.get('authorization'))?.[1];

/** Who presents this bearer token: the bootstrap credential or a current staff credential. */
async function identify({ bootstrapToken, staff }: AdminAuthDependencies, ctx: Context): Promise<StaffActor> {
  const presented = presentedToken(ctx);
  const actor = !presented ? undefined : adminTokenMatches(bootstrapToken, presented) ? BOOTSTRAP_ACTOR : await staff.authenticate(presented);
  if (actor) return actor;
  ctx.set('WWW-Authenticate', 'Bearer realm="renkei-admin"');
  throw new AdminError(401, 'unauthorized', 'a valid admin bearer token is required');
}

/** How long a credential this instance verified may read /metrics while the store does not answer. */
export const SCRAPE_GRACE_MS = 15 * 60_000;

/**
 * /metrics: as `authenticate`, and while the store does not answer, also a staff credential this
 * instance verified within `graceMs`, so that Prometheus keeps scraping through a Redis outage and
 * sees it (renkei_redis_errors_total) instead of losing the target. The admin API has no such grace.
 */
export function authenticateScrape(dependencies: AdminAuthDependencies, graceMs = SCRAPE_GRACE_MS): Middleware {
  return actingAs(async (ctx) => {
    try {
      return await identify(dependencies, ctx);
    } catch (error) {
      const known = error instanceof StoreUnavailable ? dependencies.staff.verifiedRecently(presentedToken(ctx) ?? '', graceMs) : undefined;
      if (!known) throw error;
      return known;
    }
  });
}

/** Any current credential; the rest of the request runs as its staff member. */
export function authenticate(dependencies: AdminAuthDependencies): Middleware {
  return actingAs((ctx) => identify(dependencies, ctx));
}

/** The rest of the request runs as the staff member `identifyActor` finds. */
function actingAs(identifyActor: (ctx: Context) => Promise<StaffActor>): Middleware {
  return async (ctx, next) => {
    const actor = await identifyActor(ctx);
    ctx.state.staff = actor;
    await runAs(actor, next);
  };
}

/** The role this request needs (access-policy.ts), or 403 naming it. Mounted under /admin/v1. */
export function authorize(prefix: string): Middleware {
  return async (ctx, next) => {
    const actor = actorOf(ctx)!;
    const needed = requiredRole(ctx.method, ctx.path.slice(prefix.length) || '/');
    if (!roleAllows(actor.role, needed)) {
      throw new AdminError(403, 'forbidden', `${ctx.method} ${ctx.path} needs the role ${rolesAtLeast(needed)}; ${actor.name} has the role ${actor.role}`);
    }
    await next();
  };
}
