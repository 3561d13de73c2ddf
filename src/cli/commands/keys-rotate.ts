import { AdminClient, ADMIN_NOTES } from '../admin-client.js';
import { optionalString } from '../args.js';
import { usageError } from '../cli-errors.js';
import type { Command } from '../command.js';
import { printJson, table, when } from '../output.js';

interface Rotation {
  readonly added: readonly { kid: string; alg: string; signs_from: string }[];
  readonly retiring: readonly { kid: string; alg: string; published_until: string }[];
}

export const command: Command = {
  usage: 'renkei keys rotate [--delay SECONDS] [--json]',
  summary: 'Adds a new signing key per algorithm: published at once, signing after the delay; the current keys stay published until their tokens have expired.',
  notes: [
    "--delay defaults to the server's keys.rotationDelaySeconds (time for partners' JWKS caches to refresh).",
    'The server rewrites keys/jwks.json; every instance picks the schedule up from there.',
    '',
    ...ADMIN_NOTES,
  ],
  examples: ['renkei keys rotate', 'renkei keys rotate --delay 3600 --json'],
  options: { delay: { type: 'string' } },
  async run(context, values) {
    const delay = optionalString(values, 'delay');
    if (delay !== undefined && !/^\d{1,9}$/.test(delay)) throw usageError('--delay must be a whole number of seconds');
    const rotation = await AdminClient.fromContext(context).post<Rotation>('/keys/rotate', delay === undefined ? {} : { delay_seconds: Number(delay) });
    if (context.json) {
      printJson(context.out, rotation);
      return;
    }
    context.out.stdout('new keys (published now):');
    context.out.stdout(table(['KID', 'ALG', 'SIGNS_FROM'], rotation.added.map((k) => [k.kid, k.alg, when(k.signs_from)]), context.out.stdoutColumns));
    context.out.stdout('');
    context.out.stdout('retiring keys (published for verification until then):');
    context.out.stdout(table(['KID', 'ALG', 'PUBLISHED_UNTIL'], rotation.retiring.map((k) => [k.kid, k.alg, when(k.published_until)]), context.out.stdoutColumns));
  },
};
