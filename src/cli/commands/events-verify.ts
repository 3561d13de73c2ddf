import { AdminClient, ADMIN_NOTES } from '../admin-client.js';
import { optionalString } from '../args.js';
import type { Command } from '../command.js';
import { printJson } from '../output.js';

export const command: Command = {
  usage: 'renkei events verify CLIENT_ID [--state VALUE] [--json]',
  summary: "Sends an SSF verification event to the partner's events endpoint (SSF 1.0 §8.1.4).",
  notes: ['--state is echoed in the event for the partner to check. --json prints { jti, client_id }.', '', ...ADMIN_NOTES],
  examples: ['renkei events verify c-4f2a9', 'renkei events verify c-4f2a9 --state 2026-11-30-check'],
  options: { state: { type: 'string' } },
  positionals: ['CLIENT_ID'],
  async run(context, values, [clientId]) {
    const state = optionalString(values, 'state');
    const answer = await AdminClient.fromContext(context).post<{ jti: string; client_id: string }>('/events/verify', { client: clientId, ...(state !== undefined ? { state } : {}) });
    if (context.json) printJson(context.out, answer);
    else context.out.stdout(`verification event ${answer.jti} queued for ${answer.client_id}`);
  },
};
