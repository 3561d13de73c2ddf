import { table, when } from '../output.js';

/** A staff credential as the admin API shows it: never the token (only at creation). */
export interface StaffView {
  readonly name: string;
  readonly role: string;
  readonly created_at: string;
  readonly created_by: string;
  readonly expires_at: string | null;
  readonly last_used_at: string | null;
  readonly token?: string;
}

const state = (staff: StaffView, now: number) => (staff.expires_at && Date.parse(staff.expires_at) <= now ? 'expired' : 'active');

export function staffTable(staff: readonly StaffView[], terminalColumns?: number, now = Date.now()): string {
  return table(
    ['NAME', 'ROLE', 'STATUS', 'CREATED_AT', 'CREATED_BY', 'EXPIRES_AT', 'LAST_USED_AT'],
    staff.map((s) => [s.name, s.role, state(s, now), when(s.created_at), s.created_by, when(s.expires_at) ?? 'never', when(s.last_used_at) ?? 'never']),
    terminalColumns,
  );
}
