import { AdminClient, TYPED_CREDENTIAL } from '../admin-client.js';
import { usageError } from '../cli-errors.js';
import type { Command } from '../command.js';
import { resolveAdminUrl } from '../connection.js';
import { loadCredentials, saveCredentials } from '../credentials-store.js';
import { printJson } from '../output.js';
import { isTerminal, readAll, readHidden } from '../read-secret.js';

interface Whoami {
  readonly name: string;
  readonly role: string;
}

export const command: Command = {
  usage: 'renkei login [--url URL] [--json]',
  summary: 'Checks a staff credential against the admin API and keeps it for later commands.',
  notes: [
    'The credential is read from a hidden prompt on a terminal, or from stdin (never from argv).',
    'It is kept, for this server only, in $XDG_CONFIG_HOME/renkei/credentials.json (else',
    '~/.config/renkei/credentials.json), mode 0600; this server becomes the default for later commands.',
    'Server: --url URL, else RENKEI_ADMIN_URL, else RENKEI_ADMIN_HOST/RENKEI_ADMIN_PORT, else the last login,',
    'else http://127.0.0.1:3001.',
  ],
  examples: ['renkei login --url https://renkei-admin.internal:3001', 'renkei login < ~/tanaka.credential'],
  options: {},
  async run(context) {
    const { url } = resolveAdminUrl(context);
    const token = (isTerminal(context.stdin) ? await readHidden(context, `Credential for ${url} (not shown): `) : (await readAll(context.stdin)).split('\n')[0]!).trim();
    if (!token) throw usageError('no credential: paste it at the prompt, or give it on stdin');
    if (!/^[\x21-\x7e]+$/.test(token)) throw usageError('that is not a credential: it holds spaces or characters a bearer token cannot have');
    const me = await new AdminClient(url, token, TYPED_CREDENTIAL).get<Whoami>('/whoami');
    const stored = loadCredentials(context.env);
    const file = saveCredentials(context.env, {
      default_url: url,
      servers: { ...stored.servers, [url]: { token, name: me.name, role: me.role, saved_at: new Date().toISOString() } },
    });
    if (context.json) printJson(context.out, { url, name: me.name, role: me.role, file });
    else context.out.stdout(`logged in to ${url} as ${me.name} (${me.role}); the credential is kept in ${file}`);
  },
};
