import { AdminClient, ADMIN_NOTES } from '../admin-client.js';
import type { Command } from '../command.js';
import type { AccountView } from './user-accounts-view.js';
import type { UserView } from './user-view.js';

const PAGE = 1000;

interface UserPage {
  readonly users: readonly (UserView & { readonly accounts: readonly AccountView[] })[];
  readonly next_cursor: string | null;
}

export const command: Command = {
  usage: 'renkei user export [--json] > customers.jsonl',
  summary: 'Writes the customer directory as JSON Lines on stdout, in login-ID order, without any secret.',
  notes: [
    'One JSON object a line: login_id, sub, name, status, failures, created_at, last_login_at, and accounts',
    '(the directory\'s: [{ account_id, type, branch, number, nickname }]).',
    'No password, answer or 利用者番号 (nor their hashes) ever leaves the server. Any staff role may export.',
    '',
    ...ADMIN_NOTES,
  ],
  examples: ['renkei user export > customers.jsonl'],
  options: {},
  async run(context) {
    const api = AdminClient.fromContext(context);
    let cursor: string | null = null;
    do {
      const query = new URLSearchParams({ limit: String(PAGE), include: 'accounts', ...(cursor ? { cursor } : {}) });
      const page: UserPage = await api.get<UserPage>(`/users?${query}`);
      for (const user of page.users) context.out.stdout(JSON.stringify(user));
      cursor = page.next_cursor;
    } while (cursor);
  },
};
