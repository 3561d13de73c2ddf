import { AdminClient, ADMIN_NOTES } from '../admin-client.js';
import { optionalChoice, optionalString, requiredString } from '../args.js';
import { usageError } from '../cli-errors.js';
import type { Command } from '../command.js';
import { fields, printJson, when } from '../output.js';
import type { StaffView } from './staff-view.js';

const ROLES = ['admin', 'operator', 'auditor'] as const;

export const command: Command = {
  usage: 'renkei admin create --name NAME --role admin|operator|auditor [--expires-days N] [--json]',
  summary: 'Issues a named staff credential with a role; the credential is printed once and stored only hashed.',
  notes: [
    'Roles: admin (everything, staff credentials and signing keys included), operator (clients, customers,',
    'grants, events), auditor (read-only: list, show and /metrics). Needs the role admin.',
    'The staff member runs `renkei login` and pastes the credential; every action they take is audited',
    'with their name and role. `renkei admin revoke NAME` ends it at once on every instance.',
    '--json prints { name, role, created_at, created_by, expires_at, token }.',
    '',
    ...ADMIN_NOTES,
  ],
  examples: ['renkei admin create --name tanaka --role operator --expires-days 90', 'renkei admin create --name audit-2026 --role auditor --json'],
  options: { name: { type: 'string' }, role: { type: 'string' }, 'expires-days': { type: 'string' } },
  async run(context, values) {
    const name = requiredString(values, 'name');
    const role = optionalChoice(values, 'role', ROLES);
    if (role === undefined) throw usageError(`--role is required: ${ROLES.join(', ')}`);
    const days = optionalString(values, 'expires-days');
    if (days !== undefined && (!/^\d{1,4}$/.test(days) || Number(days) < 1 || Number(days) > 3650)) throw usageError('--expires-days must be a whole number of days from 1 to 3650');
    const created = await AdminClient.fromContext(context).post<StaffView>('/staff', { name, role, ...(days ? { expires_days: Number(days) } : {}) });
    if (context.json) {
      printJson(context.out, created);
      return;
    }
    context.out.stdout(`created staff credential ${created.name} (${created.role})`);
    context.out.stdout(fields([['name', created.name], ['role', created.role], ['created_at', when(created.created_at)], ['expires_at', when(created.expires_at) ?? 'never']]));
    context.out.stdout('');
    context.out.stdout(`credential  ${created.token}`);
    context.out.stdout('');
    context.out.stdout('This credential is shown only now and is not shown again. Hand it to the staff member in person or');
    context.out.stdout('through a secure channel; they store it with `renkei login`.');
  },
};
