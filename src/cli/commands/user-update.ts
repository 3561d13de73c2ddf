import { AdminClient, ADMIN_NOTES, segment } from '../admin-client.js';
import { optionalString, type Values } from '../args.js';
import { usageError } from '../cli-errors.js';
import type { Command } from '../command.js';
import { printJson } from '../output.js';
import { collectSecrets, type SecretName } from '../read-secret.js';
import { userFields, type UserView } from './user-view.js';

/** What the flags ask to change; the new answer and 利用者番号 come as secrets. */
function wanted(values: Values): { name?: string; question?: string; secrets: SecretName[] } {
  const name = optionalString(values, 'name');
  const question = optionalString(values, 'question');
  const secrets: SecretName[] = [];
  if (question !== undefined) secrets.push('answer');
  if (values['user-number'] === true) secrets.push('user_number');
  return { ...(name !== undefined ? { name } : {}), ...(question !== undefined ? { question } : {}), secrets };
}

export const command: Command = {
  usage: 'renkei user update LOGIN_ID [--name NAME] [--question TEXT] [--user-number] [--secrets-stdin] [--json]',
  summary: "Changes a customer's name, secret question (with a new answer) or 利用者番号. A new answer or 利用者番号 revokes every grant they gave.",
  notes: [
    '--question asks for the new answer; --user-number asks for the new 利用者番号 (on a terminal, not shown).',
    'Otherwise --secrets-stdin reads {"answer": "…", "user_number": "…"} from stdin; a key given there',
    'changes that secret even without its flag.',
    '',
    ...ADMIN_NOTES,
  ],
  examples: [
    "renkei user update yamada01 --name '山田 花子'",
    "renkei user update yamada01 --question '母の旧姓は？'",
    `printf '%s' '{"user_number":"2718281828"}' | renkei user update yamada01 --secrets-stdin --json`,
  ],
  options: { name: { type: 'string' }, question: { type: 'string' }, 'user-number': { type: 'boolean' }, 'secrets-stdin': { type: 'boolean' } },
  positionals: ['LOGIN_ID'],
  async run(context, values, [loginId]) {
    const change = wanted(values);
    if (change.name === undefined && change.question === undefined && !change.secrets.length && values['secrets-stdin'] !== true) {
      throw usageError('nothing to update: give --name, --question, --user-number or --secrets-stdin');
    }
    const api = AdminClient.fromContext(context);
    const secrets = await collectSecrets(context, values, { allowed: ['answer', 'user_number'], required: change.secrets });
    if (secrets.answer !== undefined && change.question === undefined) throw usageError('a new answer needs its --question (give the question again if it stays the same)');
    const { name, question } = change;
    const user = await api.patch<UserView>(`/users/${segment(loginId!)}`, { name, question, ...secrets });
    const revoked = secrets.answer !== undefined || secrets.user_number !== undefined;
    if (context.json) printJson(context.out, user);
    else context.out.stdout(`updated user ${user.login_id}${revoked ? '; every grant they gave has been revoked' : ''}\n${userFields(user)}`);
  },
};
