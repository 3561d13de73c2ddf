import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { refused } from './cli-errors.js';
import type { CommandContext } from './command.js';
import { describeFileError } from './json-input.js';

/** What `renkei login` keeps, per admin API URL; the last login's URL is the default server. */
export interface StoredCredentials {
  readonly default_url?: string;
  readonly servers: Record<string, { readonly token: string; readonly name?: string; readonly role?: string; readonly saved_at: string }>;
}

/** $XDG_CONFIG_HOME/renkei, else ~/.config/renkei. */
export function configDir(env: CommandContext['env']): string | undefined {
  if (env.XDG_CONFIG_HOME?.startsWith('/')) return join(env.XDG_CONFIG_HOME, 'renkei');
  return env.HOME ? join(env.HOME, '.config', 'renkei') : undefined;
}

export const credentialsFile = (env: CommandContext['env']) => {
  const dir = configDir(env);
  return dir ? join(dir, 'credentials.json') : undefined;
};

export function loadCredentials(env: CommandContext['env']): StoredCredentials {
  const file = credentialsFile(env);
  if (!file) return { servers: {} };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { servers: {} };
    throw refused(`cannot read ${file}: ${describeFileError(error)}`);
  }
  try {
    const parsed = JSON.parse(text) as StoredCredentials;
    return parsed && typeof parsed.servers === 'object' ? parsed : { servers: {} };
  } catch {
    throw refused(`${file} is not valid JSON; remove it and run \`renkei login\` again`);
  }
}

/** Writes the file 0600 in a 0700 directory, replacing it atomically. */
export function saveCredentials(env: CommandContext['env'], credentials: StoredCredentials): string {
  const dir = configDir(env);
  const file = credentialsFile(env);
  if (!dir || !file) throw refused('cannot tell where to keep the credential: set HOME or XDG_CONFIG_HOME');
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(credentials, null, 2) + '\n', { mode: 0o600 });
    chmodSync(temporary, 0o600);
    renameSync(temporary, file);
  } catch (error) {
    throw refused(`cannot write ${file}: ${describeFileError(error)}`);
  }
  return file;
}
