import { AdminClient, ADMIN_NOTES } from '../admin-client.js';
import type { Command } from '../command.js';
import { printJson, table } from '../output.js';

interface KeyFacts {
  readonly kid: string;
  readonly alg: string;
  readonly kty: string;
  readonly use: string;
  readonly status: string;
}

export const command: Command = {
  usage: 'renkei keys list [--json]',
  summary: 'Lists the signing keys the running server uses (public facts only): which signs, which are only published.',
  notes: ADMIN_NOTES,
  examples: ['renkei keys list', 'renkei keys list --json'],
  options: {},
  async run(context) {
    const keys = await AdminClient.fromContext(context).get<KeyFacts[]>('/keys');
    if (context.json) printJson(context.out, keys);
    else context.out.stdout(keys.length ? table(['KID', 'ALG', 'KTY', 'USE', 'STATUS'], keys.map((k) => [k.kid, k.alg, k.kty, k.use, k.status])) : 'no keys');
  },
};
