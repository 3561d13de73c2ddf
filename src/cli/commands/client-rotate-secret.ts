import { AdminClient, ADMIN_NOTES, segment } from '../admin-client.js';
import { optionalString } from '../args.js';
import { usageError } from '../cli-errors.js';
import type { Command } from '../command.js';
import { printJson, when } from '../output.js';
import { printSecretOnce } from './client-view.js';

const MAX_GRACE_HOURS = 720;

interface Rotated {
  readonly client_id: string;
  readonly client_secret: string;
  readonly previous_secret_valid_until: string | null;
}

function graceHours(values: Record<string, unknown>): number | undefined {
  const text = optionalString(values, 'grace-hours');
  if (text === undefined) return undefined;
  const hours = /^\d+(?:\.\d+)?$/.test(text) ? Number(text) : NaN;
  if (!(hours >= 0 && hours <= MAX_GRACE_HOURS)) throw usageError(`--grace-hours must be a number of hours from 0 to ${MAX_GRACE_HOURS} (not "${text}")`);
  return hours;
}

export const command: Command = {
  usage: 'renkei client rotate-secret ID [--grace-hours N] [--json]',
  summary: 'Issues a new secret for a confidential client; the previous one stops working at once, or after --grace-hours.',
  notes: [
    'With --grace-hours N (up to 720, fractions allowed) the previous secret stays valid for N hours, so the',
    'partner can deploy the new one first; after that only the new one works. A later rotation ends the grace.',
    '--json prints { client_id, client_secret, previous_secret_valid_until (ISO 8601 or null) }.',
    '',
    ...ADMIN_NOTES,
  ],
  examples: ['renkei client rotate-secret c-4f2a9', 'renkei client rotate-secret c-4f2a9 --grace-hours 24 --json'],
  options: { 'grace-hours': { type: 'string' } },
  positionals: ['ID'],
  async run(context, values, [id]) {
    const hours = graceHours(values);
    const rotated = await AdminClient.fromContext(context).post<Rotated>(`/clients/${segment(id!)}/rotate-secret`, hours === undefined ? undefined : { grace_hours: hours });
    if (context.json) {
      printJson(context.out, rotated);
      return;
    }
    context.out.stdout(
      rotated.previous_secret_valid_until
        ? `new secret for client ${rotated.client_id}; the previous one keeps working until ${when(rotated.previous_secret_valid_until)}`
        : `new secret for client ${rotated.client_id}; the previous one no longer works`,
    );
    printSecretOnce(context.out, rotated.client_id, rotated.client_secret);
  },
};
