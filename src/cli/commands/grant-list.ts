import { AdminClient, ADMIN_NOTES } from '../admin-client.js';
import { optionalString } from '../args.js';
import type { Command } from '../command.js';
import { printJson, table, when } from '../output.js';

/** One partner's access for one customer, as the admin API lists it. */
export interface GrantRow {
  readonly grant_id: string;
  readonly sub: string;
  readonly login_id: string | null;
  readonly client_id: string;
  readonly client_name: string | null;
  readonly scope: string;
  readonly created_at: string;
  readonly expires_at: string;
}

export const command: Command = {
  usage: 'renkei grant list [--user LOGIN_ID] [--client CLIENT_ID] [--json]',
  summary: 'Lists the access customers gave partners (one grant per customer and partner).',
  notes: ['--json prints an array of { grant_id, sub, login_id, client_id, client_name, scope, created_at, expires_at }.', '', ...ADMIN_NOTES],
  examples: ['renkei grant list --user yamada01', 'renkei grant list --client c-4f2a9 --json'],
  options: { user: { type: 'string' }, client: { type: 'string' } },
  async run(context, values) {
    const query = new URLSearchParams();
    const user = optionalString(values, 'user');
    const client = optionalString(values, 'client');
    if (user !== undefined) query.set('user', user);
    if (client !== undefined) query.set('client', client);
    const grants = await AdminClient.fromContext(context).get<GrantRow[]>(`/grants${query.size ? `?${query}` : ''}`);
    if (context.json) {
      printJson(context.out, grants);
      return;
    }
    context.out.stdout(grants.length
      ? table(['GRANT_ID', 'LOGIN_ID', 'CLIENT_ID', 'PARTNER', 'SCOPE', 'CREATED_AT', 'EXPIRES_AT'],
        grants.map((g) => [g.grant_id, g.login_id, g.client_id, g.client_name, g.scope, when(g.created_at), when(g.expires_at)]), context.out.stdoutColumns)
      : 'no grants');
  },
};
