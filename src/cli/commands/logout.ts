import type { Command } from '../command.js';
import { resolveAdminUrl } from '../connection.js';
import { credentialsFile, loadCredentials, saveCredentials } from '../credentials-store.js';
import { printJson } from '../output.js';

export const command: Command = {
  usage: 'renkei logout [--url URL] [--json]',
  summary: 'Forgets the credential `renkei login` kept for a server (the server still accepts it until revoked).',
  notes: ['Server: --url URL, else RENKEI_ADMIN_URL, else RENKEI_ADMIN_HOST/RENKEI_ADMIN_PORT, else the last login.'],
  examples: ['renkei logout', 'renkei logout --url https://renkei-admin.internal:3001'],
  options: {},
  async run(context) {
    const { url } = resolveAdminUrl(context);
    const stored = loadCredentials(context.env);
    const { [url]: removed, ...servers } = stored.servers;
    if (removed) saveCredentials(context.env, { ...(stored.default_url && stored.default_url !== url ? { default_url: stored.default_url } : {}), servers });
    if (context.json) printJson(context.out, { url, removed: Boolean(removed), file: credentialsFile(context.env) });
    else context.out.stdout(removed ? `forgot the credential for ${url}` : `no credential was kept for ${url}`);
  },
};
