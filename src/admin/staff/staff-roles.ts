/** Staff roles, each allowed everything the ones before it are: auditor ⊂ operator ⊂ admin. */
export const STAFF_ROLES = ['auditor', 'operator', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** Who is acting on the admin API: a named staff member, or `bootstrap` (RENKEI_ADMIN_TOKEN). */
export interface StaffActor {
  readonly name: string;
  readonly role: StaffRole;
}

export const BOOTSTRAP_ACTOR: StaffActor = { name: 'bootstrap', role: 'admin' };

export const isStaffRole = (value: unknown): value is StaffRole => (STAFF_ROLES as readonly unknown[]).includes(value);

export function roleAllows(held: StaffRole, needed: StaffRole): boolean {
  return STAFF_ROLES.indexOf(held) >= STAFF_ROLES.indexOf(needed);
}

/** The roles that may do what `needed` may, for refusals: "operator or admin". */
export function rolesAtLeast(needed: StaffRole): string {
  return STAFF_ROLES.slice(STAFF_ROLES.indexOf(needed)).join(' or ');
}
