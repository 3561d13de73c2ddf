import { AdminClient, ADMIN_NOTES } from '../admin-client.js';
import { optionalString } from '../args.js';
import { usageError } from '../cli-errors.js';
import type { Command } from '../command.js';
import { printJson } from '../output.js';
import { userTable, type UserView } from './user-view.js';

interface UserPage {
  readonly users: readonly UserView[];
  readonly next_cursor: string | null;
}

export const command: Command = {
  usage: 'renkei user list [--query TEXT] [--limit N] [--cursor C] [--json]',
  summary: 'Lists customers in login-ID order, a page at a time (default 100, at most 1000), with their status and failure count.',
  notes: [
    '--query keeps customers whose login ID or name contains TEXT (case-insensitive).',
    'When there are more, the last line names the --cursor for the next page.',
    '--json prints { "users": [...], "next_cursor": "…" or null }.',
    '',
    ...ADMIN_NOTES,
  ],
  examples: ['renkei user list', 'renkei user list --query 山田 --limit 20', 'renkei user list --limit 500 --cursor eWFtYWRhMDE --json'],
  options: { query: { type: 'string' }, limit: { type: 'string' }, cursor: { type: 'string' } },
  async run(context, values) {
    const query = new URLSearchParams();
    const text = optionalString(values, 'query');
    const limit = optionalString(values, 'limit');
    const cursor = optionalString(values, 'cursor');
    if (limit !== undefined && (!/^\d{1,4}$/.test(limit) || Number(limit) < 1 || Number(limit) > 1000)) throw usageError('--limit must be a whole number from 1 to 1000');
    if (text !== undefined) query.set('query', text);
    if (limit !== undefined) query.set('limit', limit);
    if (cursor !== undefined) query.set('cursor', cursor);
    const page = await AdminClient.fromContext(context).get<UserPage>(`/users${query.size ? `?${query}` : ''}`);
    if (context.json) {
      printJson(context.out, page);
      return;
    }
    context.out.stdout(page.users.length ? userTable(page.users, context.out.stdoutColumns) : text ? `no users match "${text}"` : 'no users');
    if (page.next_cursor) context.out.stdout(`more: renkei user list${text ? ` --query '${text.replace(/'/g, "'\\''")}'` : ''}${limit ? ` --limit ${limit}` : ''} --cursor ${page.next_cursor}`);
  },
};
