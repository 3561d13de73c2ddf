import { AdminClient, ADMIN_NOTES } from '../admin-client.js';
import { optionalString } from '../args.js';
import type { Command } from '../command.js';
import { printJson, table, when } from '../output.js';

/** One event of a partner's outbox, as the admin API lists it. */
export interface EventRow {
  readonly jti: string;
  readonly client_id: string;
  readonly type: string;
  readonly grant_id: string | null;
  readonly status: 'queued' | 'delivered' | 'dead';
  readonly queued_at: string;
  readonly attempts: number;
  readonly next_attempt_at: string | null;
  readonly last_error: string | null;
  readonly finished_at: string | null;
}

const shortType = (uri: string) => uri.slice(uri.lastIndexOf('/') + 1);

export const command: Command = {
  usage: 'renkei events list [--client CLIENT_ID] [--failed] [--json]',
  summary: 'Lists the Shared Signals events queued for partners, recently delivered, and dead-lettered.',
  notes: [
    'STATUS is queued (not delivered yet; ATTEMPTS > 0 while it is being retried), delivered, or dead',
    '(refused by the partner, or undelivered for events.retryForSeconds). --failed lists only the dead',
    'and the ones being retried. `renkei events retry EVENT_ID` sends one again.',
    '--json prints an array of { jti, client_id, type, grant_id, status, queued_at, attempts, next_attempt_at, last_error, finished_at }.',
    '',
    ...ADMIN_NOTES,
  ],
  examples: ['renkei events list --client c-4f2a9', 'renkei events list --failed --json'],
  options: { client: { type: 'string' }, failed: { type: 'boolean' } },
  async run(context, values) {
    const query = new URLSearchParams();
    const client = optionalString(values, 'client');
    if (client !== undefined) query.set('client', client);
    if (values.failed === true) query.set('failed', 'true');
    const events = await AdminClient.fromContext(context).get<EventRow[]>(`/events${query.size ? `?${query}` : ''}`);
    if (context.json) {
      printJson(context.out, events);
      return;
    }
    context.out.stdout(events.length
      ? table(['EVENT_ID', 'CLIENT_ID', 'TYPE', 'STATUS', 'ATTEMPTS', 'QUEUED_AT', 'NEXT_ATTEMPT', 'LAST_ERROR'],
        events.map((e) => [e.jti, e.client_id, shortType(e.type), e.status, e.attempts, when(e.queued_at), when(e.next_attempt_at), e.last_error]), context.out.stdoutColumns)
      : values.failed === true ? 'no failed events' : 'no events');
  },
};
