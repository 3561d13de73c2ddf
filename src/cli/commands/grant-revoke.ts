import { AdminClient, ADMIN_NOTES, segment } from '../admin-client.js';
import { optionalString } from '../args.js';
import { usageError } from '../cli-errors.js';
import type { Command } from '../command.js';
import { printJson } from '../output.js';

export const command: Command = {
  usage: 'renkei grant revoke GRANT_ID [--json] | renkei grant revoke --user LOGIN_ID [--client CLIENT_ID] [--json]',
  summary: "Ends access at once: the grant and every token issued under it (the partner's next call is refused).",
  notes: [
    'With --user: every grant the customer gave, or only the one to --client.',
    '--json prints { "revoked": [grant_id…] }.',
    '',
    ...ADMIN_NOTES,
  ],
  examples: ['renkei grant revoke 3nQ0pX7…', 'renkei grant revoke --user yamada01', 'renkei grant revoke --user yamada01 --client c-4f2a9 --json'],
  options: { user: { type: 'string' }, client: { type: 'string' } },
  positionals: ['GRANT_ID?'],
  async run(context, values, [grantId]) {
    const user = optionalString(values, 'user');
    const client = optionalString(values, 'client');
    if (grantId !== undefined && (user !== undefined || client !== undefined)) throw usageError('give GRANT_ID or --user, not both');
    if (grantId === undefined && user === undefined) throw usageError(client === undefined ? 'give GRANT_ID or --user LOGIN_ID' : '--client needs --user');
    const api = AdminClient.fromContext(context);
    let revoked: string[];
    if (grantId !== undefined) {
      await api.delete(`/grants/${segment(grantId)}`);
      revoked = [grantId];
    } else {
      ({ revoked } = await api.post<{ revoked: string[] }>('/grants/revoke', { user, ...(client !== undefined ? { client } : {}) }));
    }
    if (context.json) printJson(context.out, { revoked });
    else if (!revoked.length) context.out.stdout(`nothing to revoke: ${user} has given ${client ? `${client} ` : ''}no access`);
    else context.out.stdout([`revoked ${revoked.length} grant${revoked.length === 1 ? '' : 's'} and every token under them:`, ...revoked.map((id) => `  ${id}`)].join('\n'));
  },
};
