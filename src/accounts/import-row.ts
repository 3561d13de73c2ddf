import type { AccountFields } from './account-source/bank-account.js';
import { checkImportAccounts } from './import-accounts.js';
import { importableHashProblem } from './secret-hash.js';
import { canonicalLoginId, isCleanText, isValidAnswer, normalizeDigits } from './text-input.js';

/** Why a line of text is refused, in the words a row's reason uses: too long, or what it holds. */
function textProblem(text: string, max: number): string | undefined {
  if (text.length > max) return `must be at most ${max} characters (has ${text.length})`;
  if (!isCleanText(text)) return 'must be one line of printable characters (no line breaks, tabs or invisible characters)';
  return undefined;
}

/** One customer of an import file (`renkei user import`), with the names the file uses. */
export interface ImportRow {
  readonly login_id: string;
  readonly user_number: string;
  readonly question: string;
  readonly name?: string;
  readonly password?: string;
  readonly password_hash?: string;
  readonly answer?: string;
  readonly answer_hash?: string;
  /** JSON Lines: an array of { type, branch, number, nickname? }; CSV: `普通:001:1234567:生活費;当座:002:7654321` */
  readonly accounts?: string | readonly Record<string, unknown>[];
}

export const IMPORT_FIELDS = ['login_id', 'user_number', 'name', 'question', 'password', 'password_hash', 'answer', 'answer_hash', 'accounts'] as const;

/** A checked row: canonical login ID, ASCII digits, and each secret either in plain text or hashed. */
export interface ValidImportRow {
  readonly loginId: string;
  readonly userNumber: string;
  readonly name: string | undefined;
  readonly question: string;
  readonly password: { readonly plain: string } | { readonly hash: string };
  readonly answer: { readonly plain: string } | { readonly hash: string };
  /** undefined when the row does not give them (an update then keeps the customer's accounts) */
  readonly accounts: readonly AccountFields[] | undefined;
}

export type RowCheck = { readonly row: ValidImportRow } | { readonly problems: readonly string[] };

const USER_NUMBER = /^\d{4,16}$/;
const MAX_HASH_LENGTH = 512;

function secretOf(
  fields: Record<string, unknown>,
  plainName: 'password' | 'answer',
  problems: string[],
  checkPlain: (value: string) => string | undefined,
): { plain: string } | { hash: string } | undefined {
  const hashName = `${plainName}_hash`;
  const plain = fields[plainName];
  const hash = fields[hashName];
  if (plain !== undefined && hash !== undefined) {
    problems.push(`give ${plainName} or ${hashName}, not both`);
    return undefined;
  }
  if (typeof plain === 'string') {
    const problem = checkPlain(plain);
    if (problem) problems.push(`${plainName}: ${problem}`);
    return problem ? undefined : { plain };
  }
  if (typeof hash === 'string') {
    const problem = hash.length > MAX_HASH_LENGTH ? 'is too long' : importableHashProblem(hash);
    if (problem) problems.push(`${hashName}: ${problem}`);
    return problem ? undefined : { hash };
  }
  problems.push(`${plainName} or ${hashName} is required`);
  return undefined;
}

/**
 * The rules `user create` applies, for one import row; every problem of the row at once (never a
 * secret's value). The CLI checks the whole file with it before sending, the server again.
 */
export function checkImportRow(fields: Record<string, unknown>): RowCheck {
  const problems: string[] = [];
  for (const [name, value] of Object.entries(fields)) {
    if (!(IMPORT_FIELDS as readonly string[]).includes(name)) problems.push(`${name}: is not a known field`);
    else if (value !== undefined && typeof value !== 'string' && name !== 'accounts') problems.push(`${name}: must be text`);
  }
  if (problems.length) return { problems };

  const rawLoginId = fields.login_id as string | undefined;
  const loginId = rawLoginId === undefined ? undefined : canonicalLoginId(rawLoginId);
  if (rawLoginId === undefined) problems.push('login_id is required');
  else if (!loginId) problems.push('login_id: must be 1–64 printable characters, not . or .. alone');

  const rawNumber = fields.user_number as string | undefined;
  const userNumber = rawNumber === undefined ? undefined : normalizeDigits(rawNumber.trim());
  if (userNumber === undefined) problems.push('user_number is required');
  else if (!USER_NUMBER.test(userNumber)) problems.push('user_number: must be 4–16 digits');

  const name = (fields.name as string | undefined)?.trim();
  const nameProblem = name === undefined ? undefined : textProblem(name, 100);
  if (nameProblem) problems.push(`name: ${nameProblem}`);

  const question = (fields.question as string | undefined)?.trim();
  if (!question) problems.push('question is required');
  else {
    const questionProblem = textProblem(question, 100);
    if (questionProblem) problems.push(`question: ${questionProblem}`);
  }

  const password = secretOf(fields, 'password', problems, (value) =>
    value.length < 8 || value.length > 128 || !isCleanText(value) ? 'must be 8–128 printable characters' : undefined);
  const answer = secretOf(fields, 'answer', problems, (value) =>
    value.length > 32 || !isValidAnswer(value) ? 'must be 1–16 alphanumerics or kana' : undefined);

  const accounts = fields.accounts === undefined ? undefined : checkImportAccounts(fields.accounts);
  if (accounts && 'problems' in accounts) problems.push(...accounts.problems);

  if (problems.length) return { problems };
  return { row: { loginId: loginId!, userNumber: userNumber!, name: name || undefined, question: question!, password: password!, answer: answer!, accounts: accounts && 'accounts' in accounts ? accounts.accounts : undefined } };
}
