import Router from '@koa/router';
import type { AppContext } from '../../services.js';
import { actorOf } from '../admin-auth.js';
import { AdminError } from '../admin-error.js';
import { guard, readJson } from '../admin-guard.js';
import { StaffError, type StaffDirectory, type StaffListing, type StaffRecord } from '../staff/staff-directory.js';
import { STAFF_ROLES, type StaffRole } from '../staff/staff-roles.js';

const createGuard = guard<{ name: string; role: StaffRole; expires_days?: number }>({
  type: 'object',
  additionalProperties: false,
  required: ['name', 'role'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 64 },
    role: { enum: [...STAFF_ROLES] },
    expires_days: { type: 'integer', minimum: 1, maximum: 3650 },
  },
});

const iso = (at: number | null) => (at === null ? null : new Date(at).toISOString());

const view = (staff: Omit<StaffRecord, 'tokenDigest'> & Partial<Pick<StaffListing, 'lastUsedAt'>>) => ({
  name: staff.name,
  role: staff.role,
  created_at: iso(staff.createdAt),
  created_by: staff.createdBy,
  expires_at: iso(staff.expiresAt),
  last_used_at: iso(staff.lastUsedAt ?? null),
});

function mapStaffErrors(error: unknown): never {
  if (!(error instanceof StaffError)) throw error;
  if (error.code === 'staff.not_found') throw new AdminError(404, 'not_found', error.message);
  if (error.code === 'staff.duplicate_name') throw new AdminError(409, 'conflict', error.message);
  throw new AdminError(400, 'validation_failed', error.message, [{ path: '/name', message: error.message }]);
}

/** Named staff credentials (renkei admin create | list | revoke), and who the caller is. */
export function staffRoutes(app: AppContext, staff: StaffDirectory): Router {
  const router = new Router();

  router.get('/whoami', (ctx) => {
    ctx.body = actorOf(ctx);
  });

  router.get('/staff', async (ctx) => {
    ctx.body = (await staff.list()).map(view);
  });

  router.post('/staff', async (ctx) => {
    const body = createGuard(await readJson(ctx));
    const { record, token } = await staff.create({ name: body.name, role: body.role, expiresDays: body.expires_days, createdBy: actorOf(ctx)!.name }).catch(mapStaffErrors);
    app.audit('admin.staff_created', { staff_name: record.name, staff_role: record.role, expires_at: iso(record.expiresAt), ip: ctx.ip, outcome: 'success' });
    ctx.status = 201;
    ctx.body = { ...view(record), token };
  });

  router.delete('/staff/:name', async (ctx) => {
    const record = await staff.revoke(ctx.params.name!).catch(mapStaffErrors);
    app.audit('admin.staff_revoked', { staff_name: record.name, staff_role: record.role, ip: ctx.ip, outcome: 'success' });
    ctx.status = 204;
  });

  return router;
}
