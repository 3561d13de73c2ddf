import { AsyncLocalStorage } from 'node:async_hooks';
import type { AppContext } from '../services.js';
import type { Audit } from '../shared/audit.js';
import type { StaffActor } from './staff/staff-roles.js';

const currentActor = new AsyncLocalStorage<StaffActor>();

/** Runs the rest of an admin request as this staff member: its audit events name them. */
export const runAs = <T>(actor: StaffActor, work: () => Promise<T>): Promise<T> => currentActor.run(actor, work);

export const actingStaff = (): StaffActor | undefined => currentActor.getStore();

/**
 * The app as admin routes see it: every audit event, also those written deep inside shared code
 * (a grant revoked by revokeCustomerGrant), carries the acting staff member's name and role.
 * A Proxy rather than a copy, so that getters such as `provider` stay live.
 */
export function withActorAudit(app: AppContext): AppContext {
  const audit: Audit = (event, fields) => {
    const actor = currentActor.getStore();
    app.audit(event, actor ? { ...fields, actor: actor.name, actor_role: actor.role } : fields);
  };
  return new Proxy(app, { get: (target, property) => (property === 'audit' ? audit : Reflect.get(target, property, target)) });
}
