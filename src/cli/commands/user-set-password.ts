import { AdminClient, ADMIN_NOTES, segment } from '../admin-client.js';
import type { Command } from '../command.js';
import { printJson } from '../output.js';
import { passwordSource, readPassword } from '../read-secret.js';
import type { UserView } from './user-view.js';

export const command: Command = {
  usage: 'renkei user set-password LOGIN_ID [--password-stdin | --password P] [--json]',
  summary: "Sets a customer's password; every grant they gave, and every token under them, is revoked.",
  notes: [
    'The new password is read from the first line of stdin (on a terminal: typed, not shown) unless',
    '--password is given. It is never printed.',
    '',
    ...ADMIN_NOTES,
  ],
  examples: ["printf '%s\\n' \"$NEW_PASSWORD\" | renkei user set-password yamada01", 'renkei user set-password yamada01 --password-stdin --json < password.txt'],
  options: { 'password-stdin': { type: 'boolean' }, password: { type: 'string' } },
  positionals: ['LOGIN_ID'],
  async run(context, values, [loginId]) {
    const source = passwordSource(values, { stdinByDefault: true });
    const api = AdminClient.fromContext(context);
    const password = await readPassword(context, source);
    const user = await api.put<UserView>(`/users/${segment(loginId!)}/password`, { password });
    if (context.json) printJson(context.out, user.body);
    else context.out.stdout(`set the password of ${user.body.login_id}; every grant they gave has been revoked`);
  },
};
