import { AdminClient, ADMIN_NOTES } from '../admin-client.js';
import { optionalString, requiredString } from '../args.js';
import type { Command } from '../command.js';
import { printJson } from '../output.js';
import { collectSecrets } from '../read-secret.js';
import { userFields, type UserView } from './user-view.js';

export const SECRET_NOTES = [
  'Secrets never need to go on the command line: on a terminal renkei asks for what is missing',
  '(not shown; the password twice); otherwise --secrets-stdin reads one JSON object from stdin with',
  '"password", "answer" and "user_number".',
];

export const command: Command = {
  usage: 'renkei user create --login-id ID --question TEXT [--name NAME] (--secrets-stdin | prompts | --password P --answer A --user-number DIGITS) [--json]',
  summary: 'Registers a customer: login ID, 利用者番号 (digits), password, secret question and answer.',
  notes: [
    ...SECRET_NOTES,
    '--password, --answer and --user-number still work but are visible to other users of the machine.',
    'Nothing secret is printed: --json prints the customer (login_id, sub, …).',
    '',
    ...ADMIN_NOTES,
  ],
  examples: [
    "renkei user create --login-id yamada01 --question '好きな色は？' --name '山田 太郎'",
    `printf '%s' '{"password":"…","answer":"あお","user_number":"3141592653"}' | renkei user create --login-id yamada01 --question '好きな色は？' --secrets-stdin --json`,
  ],
  options: {
    'login-id': { type: 'string' },
    question: { type: 'string' },
    name: { type: 'string' },
    'secrets-stdin': { type: 'boolean' },
    'password-stdin': { type: 'boolean' },
    password: { type: 'string' },
    answer: { type: 'string' },
    'user-number': { type: 'string' },
  },
  async run(context, values) {
    const name = optionalString(values, 'name');
    const body = {
      login_id: requiredString(values, 'login-id'),
      question: requiredString(values, 'question'),
      ...(name !== undefined ? { name } : {}),
    };
    const api = AdminClient.fromContext(context);
    const secrets = await collectSecrets(context, values, {
      allowed: ['password', 'answer', 'user_number'],
      required: ['user_number', 'password', 'answer'],
      flags: ['password', 'answer', 'user_number'],
    });
    const user = await api.post<UserView>('/users', { ...body, ...secrets });
    if (context.json) printJson(context.out, user);
    else context.out.stdout(`created user ${user.login_id}\n${userFields(user)}`);
  },
};
