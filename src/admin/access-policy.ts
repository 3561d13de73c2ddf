import type { StaffRole } from './staff/staff-roles.js';

/**
 * The least role that may change things in each admin area (path prefix under /admin/v1), in one
 * table. Every role reads everything (the API never shows a secret); operators run the daily work
 * on partners, customers, grants and events; staff credentials and signing keys are for admins.
 * An area not listed needs admin to change.
 */
const WRITE_POLICY: readonly (readonly [prefix: string, role: StaffRole])[] = [
  ['/clients', 'operator'],
  ['/users', 'operator'],
  ['/grants', 'operator'],
  ['/events', 'operator'],
  ['/keys', 'admin'],
  ['/staff', 'admin'],
];

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The least role a request with this method and path (relative to /admin/v1) needs. */
export function requiredRole(method: string, path: string): StaffRole {
  if (READS.has(method)) return 'auditor';
  const area = WRITE_POLICY.find(([prefix]) => path === prefix || path.startsWith(`${prefix}/`));
  return area?.[1] ?? 'admin';
}
