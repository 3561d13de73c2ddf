import { AdminClient, ADMIN_NOTES } from '../admin-client.js';
import type { Command } from '../command.js';
import { printJson, table, when } from '../output.js';

interface KeyFacts {
  readonly kid: string;
  readonly alg: string;
  readonly kty: string;
  readonly use: string;
  /** signing, pending (published, signs from signs_from) or retiring (published until published_until) */
  readonly status: string;
  readonly signs_from?: string | null;
  readonly published_until?: string | null;
}

export const command: Command = {
  usage: 'renkei keys list [--json]',
  summary: 'Lists the signing keys of the running server (public facts only): which signs, which are pending or retiring.',
  notes: ADMIN_NOTES,
  examples: ['renkei keys list', 'renkei keys list --json'],
  options: {},
  async run(context) {
    const keys = await AdminClient.fromContext(context).get<KeyFacts[]>('/keys');
    if (context.json) {
      printJson(context.out, keys);
      return;
    }
    context.out.stdout(keys.length
      ? table(['KID', 'ALG', 'KTY', 'USE', 'STATUS', 'SIGNS_FROM', 'PUBLISHED_UNTIL'],
        keys.map((k) => [k.kid, k.alg, k.kty, k.use, k.status, when(k.signs_from), when(k.published_until)]), context.out.stdoutColumns)
      : 'no keys');
  },
};
