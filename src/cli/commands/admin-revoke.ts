import { AdminClient, ADMIN_NOTES, segment } from '../admin-client.js';
import type { Command } from '../command.js';
import { printJson } from '../output.js';

export const command: Command = {
  usage: 'renkei admin revoke NAME [--json]',
  summary: "Revokes a staff member's credential: their next request, on any instance, is refused.",
  notes: ['Needs the role admin. To give them access again, `renkei admin create` a new credential.', '', ...ADMIN_NOTES],
  examples: ['renkei admin revoke tanaka'],
  options: {},
  positionals: ['NAME'],
  async run(context, _values, [name]) {
    await AdminClient.fromContext(context).delete(`/staff/${segment(name!)}`);
    if (context.json) printJson(context.out, { name, revoked: true });
    else context.out.stdout(`revoked the credential of ${name}; it is refused from now on`);
  },
};
