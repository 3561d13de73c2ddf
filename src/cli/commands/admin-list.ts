import { AdminClient, ADMIN_NOTES } from '../admin-client.js';
import type { Command } from '../command.js';
import { printJson } from '../output.js';
import { staffTable, type StaffView } from './staff-view.js';

export const command: Command = {
  usage: 'renkei admin list [--json]',
  summary: 'Lists the named staff credentials: name, role, created, expires, last used (never the credential).',
  notes: ['The bootstrap credential (RENKEI_ADMIN_TOKEN) is not listed: it lives in the server\'s environment.', '', ...ADMIN_NOTES],
  examples: ['renkei admin list', 'renkei admin list --json'],
  options: {},
  async run(context) {
    const staff = await AdminClient.fromContext(context).get<StaffView[]>('/staff');
    if (context.json) printJson(context.out, staff);
    else context.out.stdout(staff.length ? staffTable(staff, context.out.stdoutColumns) : 'no staff credentials');
  },
};
