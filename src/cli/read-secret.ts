import { ExitError, usageError } from './cli-errors.js';
import type { CommandContext, CommandInput } from './command.js';
import { optionalString, type Values } from './args.js';

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

/** On a terminal: a prompt on stderr and no echo while typing. */
function readHidden(stdin: CommandInput & { setRawMode(mode: boolean): unknown }, prompt: string): Promise<string> {
  process.stderr.write(prompt);
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n' || char === '\u0004') {
          finish();
          resolve(value);
          return;
        }
        if (char === '\u0003') {
          finish();
          reject(new ExitError('cancelled', 130));
          return;
        }
        if (char === '\u007f' || char === '\b') value = [...value].slice(0, -1).join('');
        else value += char;
      }
    };
    stdin.setEncoding('utf8');
    stdin.setRawMode(true);
    stdin.on('data', onData);
    stdin.resume();
  });
}

export async function readSecretLine({ stdin }: Pick<CommandContext, 'stdin'>, prompt: string): Promise<string> {
  const terminal = stdin.isTTY === true && typeof stdin.setRawMode === 'function';
  const secret = terminal ? await readHidden(stdin as CommandInput & { setRawMode(mode: boolean): unknown }, prompt) : await readFirstLine(stdin);
  if (!secret) throw usageError('no password on stdin (give it as the first line)');
  return secret;
}

/** Where the password comes from: --password P, or stdin (--password-stdin; the default when `stdinByDefault`). */
export type PasswordSource = { readonly flag: string } | { readonly stdin: true };

/** Checks the password flags (exactly one, unless `stdinByDefault`) before anything is read or sent. */
export function passwordSource(values: Values, { stdinByDefault = false } = {}): PasswordSource {
  const flag = optionalString(values, 'password');
  const stdin = values['password-stdin'] === true;
  if (flag !== undefined && stdin) throw usageError('give --password or --password-stdin, not both');
  if (flag !== undefined) return { flag };
  if (!stdin && !stdinByDefault) throw usageError('--password-stdin or --password is required');
  return { stdin: true };
}

/** The password; --password is visible in the process list and shell history, so that warns on stderr. */
export async function readPassword(context: Pick<CommandContext, 'stdin' | 'out'>, source: PasswordSource): Promise<string> {
  if ('flag' in source) {
    context.out.stderr('renkei: warning: --password is visible in the process list and shell history; prefer --password-stdin');
    return source.flag;
  }
  return readSecretLine(context, 'Password (not shown): ');
}
