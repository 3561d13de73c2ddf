import { ExitError, refused, usageError } from './cli-errors.js';
import type { CommandContext, CommandInput } from './command.js';
import { parseJson } from './json-input.js';

type Input = CommandInput & { setRawMode(mode: boolean): unknown };

export const isTerminal = (stdin: CommandInput): stdin is Input => stdin.isTTY === true && typeof stdin.setRawMode === 'function';

/** All of a piped stdin. */
export async function readAll(stdin: CommandInput): Promise<string> {
  stdin.setEncoding('utf8');
  let text = '';
  for await (const chunk of stdin as AsyncIterable<string>) text += chunk;
  return text;
}

/** The first line of a piped stdin, without its line ending. */
async function readFirstLine(stdin: CommandInput): Promise<string> {
  stdin.setEncoding('utf8');
  let text = '';
  for await (const chunk of stdin as AsyncIterable<string>) {
    text += chunk;
    if (text.includes('\n')) break;
  }
  return text.split('\n')[0]!.replace(/\r$/, '');
}

/** Typed characters not yet used by a prompt (a paste can hold several answers). */
const pending = new WeakMap<CommandInput, string>();

/** On a terminal: the prompt on stderr, and nothing echoed while typing. */
export function readHidden(context: Pick<CommandContext, 'stdin' | 'out'>, prompt: string): Promise<string> {
  return readOnTerminal(context, prompt, false);
}

/** On a terminal: the prompt on stderr, and what is typed shown as it is typed (not for secrets). */
export function readTyped(context: Pick<CommandContext, 'stdin' | 'out'>, prompt: string): Promise<string> {
  return readOnTerminal(context, prompt, true);
}

/** A line typed on a terminal in raw mode (Ctrl-C cancels with exit 130; a paste may hold the next answers). */
function readOnTerminal({ stdin, out }: Pick<CommandContext, 'stdin' | 'out'>, prompt: string, echo: boolean): Promise<string> {
  const input = stdin as Input;
  out.prompt(prompt);
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = () => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      out.prompt('\n');
    };
    const onData = (chunk: string) => {
      const chars = [...chunk];
      for (let i = 0; i < chars.length; i++) {
        const char = chars[i]!;
        if (char === '\r' || char === '\n' || char === '\u0004') {
          pending.set(input, chars.slice(i + 1).join('').replace(/^\n/, ''));
          finish();
          resolve(value);
          return;
        }
        if (char === '\u0003') {
          finish();
          reject(new ExitError('cancelled', 130));
          return;
        }
        if (char === '\u007f' || char === '\b') {
          if (echo && value) out.prompt('\b \b');
          value = [...value].slice(0, -1).join('');
        } else {
          value += char;
          if (echo) out.prompt(char);
        }
      }
    };
    input.setEncoding('utf8');
    input.setRawMode(true);
    input.on('data', onData);
    input.resume();
    const left = pending.get(input);
    if (left) {
      pending.delete(input);
      onData(left);
    }
  });
}

export async function readSecretLine(context: Pick<CommandContext, 'stdin' | 'out'>, prompt: string): Promise<string> {
  const secret = isTerminal(context.stdin) ? await readHidden(context, prompt) : await readFirstLine(context.stdin);
  if (!secret) throw usageError('no password on stdin (give it as the first line)');
  return secret;
}

/** The secrets a customer command may need. */
export type SecretName = 'password' | 'answer' | 'user_number';

const LABELS: Record<SecretName, { prompt: string; flag: string }> = {
  password: { prompt: 'Password', flag: 'password' },
  answer: { prompt: 'Answer to the secret question', flag: 'answer' },
  user_number: { prompt: '利用者番号 (user number)', flag: 'user-number' },
};

export interface SecretRequest {
  /** what this command may take */
  readonly allowed: readonly SecretName[];
  /** what it must have (asked on a terminal when missing) */
  readonly required: readonly SecretName[];
  /** secrets that may come as flags (visible in the process list: warned about) */
  readonly flags?: readonly SecretName[];
  /** off a terminal, a missing password is the first line of stdin (set-password's old habit) */
  readonly passwordLineByDefault?: boolean;
}

/**
 * Secrets from, in turn: flags (with a warning), --secrets-stdin (a JSON object), --password-stdin
 * (the first line), and for whatever is still missing a hidden prompt on a terminal (the password
 * twice). Off a terminal a missing secret is a usage error that says how to give it.
 */
export async function collectSecrets(context: Pick<CommandContext, 'stdin' | 'out'>, values: Readonly<Record<string, unknown>>, request: SecretRequest): Promise<Partial<Record<SecretName, string>>> {
  const secrets: Partial<Record<SecretName, string>> = {};
  const fromFlags = (request.flags ?? []).filter((name) => values[LABELS[name].flag] !== undefined);
  for (const name of fromFlags) {
    const value = values[LABELS[name].flag];
    if (typeof value !== 'string' || value === '') throw usageError(`--${LABELS[name].flag} needs a value`);
    secrets[name] = value;
  }
  const useSecretsStdin = values['secrets-stdin'] === true;
  const usePasswordStdin = values['password-stdin'] === true;
  if (useSecretsStdin && usePasswordStdin) throw usageError('give --secrets-stdin or --password-stdin, not both');
  if (usePasswordStdin && secrets.password !== undefined) throw usageError('give --password or --password-stdin, not both');

  if (useSecretsStdin) {
    const given = parseJson(await readAll(context.stdin), '--secrets-stdin');
    if (!given || typeof given !== 'object' || Array.isArray(given)) throw refused(`cannot use --secrets-stdin: give one JSON object with ${request.allowed.map((n) => `"${n}"`).join(', ')}`);
    for (const [key, value] of Object.entries(given)) {
      if (!(request.allowed as readonly string[]).includes(key)) throw refused(`cannot use --secrets-stdin: "${key}" is not one of ${request.allowed.map((n) => `"${n}"`).join(', ')}`);
      if (typeof value !== 'string' || value === '') throw refused(`cannot use --secrets-stdin: "${key}" must be a non-empty string`);
      if (secrets[key as SecretName] !== undefined) throw usageError(`${key} is given both as --${LABELS[key as SecretName].flag} and in --secrets-stdin`);
      secrets[key as SecretName] = value;
    }
  } else if (usePasswordStdin || (request.passwordLineByDefault && secrets.password === undefined && !isTerminal(context.stdin))) {
    secrets.password = await readSecretLine(context, 'Password (not shown): ');
  }

  const missing = request.required.filter((name) => secrets[name] === undefined);
  if (missing.length && (useSecretsStdin || usePasswordStdin || !isTerminal(context.stdin))) {
    throw usageError(`${missing.map((n) => LABELS[n].prompt.toLowerCase()).join(', ')} needed: give --secrets-stdin with ${missing.map((n) => `"${n}"`).join(', ')} in a JSON object, or run on a terminal to be asked`);
  }
  if (fromFlags.length) context.out.stderr(`renkei: warning: ${fromFlags.map((n) => `--${LABELS[n].flag}`).join(', ')} ${fromFlags.length === 1 ? 'is' : 'are'} visible in the process list and shell history; prefer --secrets-stdin or the prompt`);
  for (const name of missing) secrets[name] = await ask(context, name);
  return secrets;
}

async function ask(context: Pick<CommandContext, 'stdin' | 'out'>, name: SecretName): Promise<string> {
  const label = LABELS[name].prompt;
  for (let attempt = 0; attempt < 3; attempt++) {
    const first = await readHidden(context, `${label} (not shown): `);
    if (!first) {
      context.out.stderr('renkei: nothing was typed; try again');
      continue;
    }
    if (name !== 'password') return first;
    const again = await readHidden(context, `${label} again: `);
    if (again === first) return first;
    context.out.stderr('renkei: the two passwords differ; try again');
  }
  throw usageError(`no ${label.toLowerCase()} after three tries`);
}
