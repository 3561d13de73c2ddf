import { usageError } from '../cli-errors.js';
import { didYouMean } from '../../shared/suggest.js';
import { ADMIN_NOTES } from '../admin-client.js';
import type { Command } from '../command.js';
import { addAccount } from './user-accounts-add.js';
import { listAccounts } from './user-accounts-list.js';
import { removeAccount } from './user-accounts-remove.js';

const ADD_FLAGS = ['type', 'branch', 'number', 'nickname'] as const;
const ACTIONS = ['add', 'list', 'remove'];
const unknownAction = (action: string) => usageError(`unknown action "${action}": add, list or remove${didYouMean(action, ACTIONS, (a) => `"user accounts ${a}"`)}`);

/** `renkei user accounts add|list|remove …`: the table has two words per command, so the third is read here. */
export const command: Command = {
  usage: [
    'renkei user accounts add LOGIN_ID --type 普通|当座|貯蓄 --branch NNN --number N [--nickname TEXT] [--json]',
    '       renkei user accounts list LOGIN_ID [--json]',
    '       renkei user accounts remove LOGIN_ID ACCOUNT_ID [--json]',
  ].join('\n'),
  summary: "Registers, lists or removes a customer's accounts (those a partner may be shown at consent).",
  notes: [
    'list shows the accounts consent offers, from accounts.source (directory or the account service);',
    'add and remove change the directory (refused when accounts.source is http).',
    '--json prints the account(s): { account_id, type, branch, number, nickname }.',
    '',
    ...ADMIN_NOTES,
  ],
  examples: ['renkei user accounts add yamada01 --type 普通 --branch 001 --number 1234567 --nickname 生活費', 'renkei user accounts list yamada01', 'renkei user accounts remove yamada01 acc-3kq9XbT2pLmN'],
  options: { type: { type: 'string' }, branch: { type: 'string' }, number: { type: 'string' }, nickname: { type: 'string' } },
  positionals: ['ACTION', 'LOGIN_ID', 'ACCOUNT_ID?'],
  async run(context, values, [action, loginId, accountId]) {
    if (!ACTIONS.includes(action!)) throw unknownAction(action!);
    const addFlags = ADD_FLAGS.filter((flag) => values[flag] !== undefined);
    if (action !== 'add' && addFlags.length) throw usageError(`--${addFlags[0]} is for \`user accounts add\` only`);
    if (action !== 'remove' && accountId !== undefined) throw usageError(`too many arguments: ${accountId}`);
    switch (action) {
      case 'add':
        return addAccount(context, values, loginId!);
      case 'list':
        return listAccounts(context, loginId!);
      case 'remove':
        if (accountId === undefined) throw usageError('missing ACCOUNT_ID');
        return removeAccount(context, loginId!, accountId);
      default:
        throw unknownAction(action!);
    }
  },
};
