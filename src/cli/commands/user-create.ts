import { AdminClient, ADMIN_NOTES } from '../admin-client.js';
import { optionalString, requiredString } from '../args.js';
import type { Command } from '../command.js';
import { printJson } from '../output.js';
import { passwordSource, readPassword } from '../read-secret.js';
import { userFields, type UserView } from './user-view.js';

export const command: Command = {
  usage: 'renkei user create --login-id ID --user-number DIGITS (--password-stdin | --password P) --question TEXT --answer TEXT [--name NAME] [--json]',
  summary: 'Registers a customer: login ID, 利用者番号 (digits), password, secret question and answer.',
  notes: [
    '--password-stdin reads the password from the first line of stdin (on a terminal: typed, not shown).',
    'Nothing secret is printed: --json prints the customer (login_id, sub, …).',
    '',
    ...ADMIN_NOTES,
  ],
  examples: [
    "printf '%s\\n' \"$PASSWORD\" | renkei user create --login-id yamada01 --user-number 3141592653 --password-stdin --question '好きな色は？' --answer あお --name '山田 太郎'",
    'renkei user create --login-id yamada01 --user-number 3141592653 --password-stdin --question "好きな色は？" --answer あお --json < password.txt',
  ],
  options: {
    'login-id': { type: 'string' },
    'user-number': { type: 'string' },
    'password-stdin': { type: 'boolean' },
    password: { type: 'string' },
    question: { type: 'string' },
    answer: { type: 'string' },
    name: { type: 'string' },
  },
  async run(context, values) {
    const name = optionalString(values, 'name');
    const body = {
      login_id: requiredString(values, 'login-id'),
      user_number: requiredString(values, 'user-number'),
      question: requiredString(values, 'question'),
      answer: requiredString(values, 'answer'),
      ...(name !== undefined ? { name } : {}),
    };
    const source = passwordSource(values);
    const api = AdminClient.fromContext(context);
    const password = await readPassword(context, source);
    const user = await api.post<UserView>('/users', { ...body, password });
    if (context.json) printJson(context.out, user);
    else context.out.stdout(`created user ${user.login_id}\n${userFields(user)}`);
  },
};
