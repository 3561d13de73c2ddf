import { AdminClient, ADMIN_NOTES, segment } from '../admin-client.js';
import type { Command } from '../command.js';
import { printJson } from '../output.js';
import { collectSecrets } from '../read-secret.js';
import type { UserView } from './user-view.js';

export const command: Command = {
  usage: 'renkei user set-password LOGIN_ID [--secrets-stdin | --password-stdin | --password P] [--json]',
  summary: "Sets a customer's password; every grant they gave, and every token under them, is revoked.",
  notes: [
    'On a terminal the new password is asked twice (not shown). Otherwise it is the first line of stdin,',
    'or with --secrets-stdin the "password" of a JSON object on stdin. It is never printed.',
    '',
    ...ADMIN_NOTES,
  ],
  examples: ['renkei user set-password yamada01', `printf '%s\\n' "$NEW_PASSWORD" | renkei user set-password yamada01 --password-stdin --json`],
  options: { 'secrets-stdin': { type: 'boolean' }, 'password-stdin': { type: 'boolean' }, password: { type: 'string' } },
  positionals: ['LOGIN_ID'],
  async run(context, values, [loginId]) {
    const api = AdminClient.fromContext(context);
    const { password } = await collectSecrets(context, values, { allowed: ['password'], required: ['password'], flags: ['password'], passwordLineByDefault: true });
    const user = await api.put<UserView>(`/users/${segment(loginId!)}/password`, { password });
    if (context.json) printJson(context.out, user.body);
    else context.out.stdout(`set the password of ${user.body.login_id}; every grant they gave has been revoked`);
  },
};
