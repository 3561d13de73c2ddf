import { refused, usageError } from './cli-errors.js';
import type { CommandContext } from './command.js';
import { loadCredentials } from './credentials-store.js';
import { readTextFile } from './json-input.js';

export const DEFAULT_ADMIN_URL = 'http://127.0.0.1:3001';
export const ADMIN_TOKEN_FILE = '.renkei/admin-token';

export interface AdminConnection {
  readonly url: string;
  readonly token: string;
  /** where the token came from, for messages (never the token) */
  readonly tokenSource: string;
}

type Context = Pick<CommandContext, 'env' | 'cwd' | 'global'>;

/** A wildcard listen address is reached on the loopback. */
const reachable = (host: string) => (host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host);

/** --url, else RENKEI_ADMIN_URL, else RENKEI_ADMIN_HOST/RENKEI_ADMIN_PORT, else the last `renkei login`, else the default. */
export function resolveAdminUrl({ env, global }: Context): { url: string; source: string } {
  let raw: string;
  let source: string;
  if (global.url !== undefined) [raw, source] = [global.url, '--url'];
  else if (env.RENKEI_ADMIN_URL?.trim()) [raw, source] = [env.RENKEI_ADMIN_URL.trim(), 'RENKEI_ADMIN_URL'];
  else if (env.RENKEI_ADMIN_HOST?.trim() || env.RENKEI_ADMIN_PORT?.trim()) {
    const host = reachable(env.RENKEI_ADMIN_HOST?.trim() || '127.0.0.1');
    const port = env.RENKEI_ADMIN_PORT?.trim() || '3001';
    if (!/^\d{1,5}$/.test(port) || Number(port) > 65535) throw usageError(`RENKEI_ADMIN_PORT must be a port number (not "${port}")`);
    [raw, source] = [`http://${host.includes(':') ? `[${host}]` : host}:${port}`, 'RENKEI_ADMIN_HOST/RENKEI_ADMIN_PORT'];
  } else {
    const stored = loadCredentials(env).default_url;
    [raw, source] = stored ? [stored, 'renkei login'] : [DEFAULT_ADMIN_URL, 'the default'];
  }
  return { url: normaliseUrl(raw, source), source };
}

export function normaliseUrl(raw: string, source: string): string {
  const url = URL.parse(raw);
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.search || url.hash) {
    throw usageError(`${source} must be an http(s) URL such as ${DEFAULT_ADMIN_URL} (not "${raw}")`);
  }
  if (url.username || url.password) throw usageError(`${source} must not carry credentials; use renkei login or RENKEI_ADMIN_TOKEN`);
  return url.toString().replace(/\/+$/, '');
}

/** The development server's own address: where the .renkei/admin-token it wrote may be sent. */
function onThisMachine(url: string): boolean {
  const host = new URL(url).hostname;
  return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * --token-file, else RENKEI_ADMIN_TOKEN, else what `renkei login` stored for this URL, else
 * .renkei/admin-token for a server on this machine (the development server's token, never sent
 * to a server elsewhere).
 */
export function resolveToken(context: Context, url: string): { token: string; source: string } {
  const { env, cwd, global } = context;
  let found: { token: string; source: string } | undefined;
  if (global.tokenFile !== undefined) found = { token: readTextFile(global.tokenFile, cwd, `--token-file ${global.tokenFile}`).trim(), source: `--token-file ${global.tokenFile}` };
  else if (env.RENKEI_ADMIN_TOKEN?.trim()) found = { token: env.RENKEI_ADMIN_TOKEN.trim(), source: 'RENKEI_ADMIN_TOKEN' };
  else {
    // a stored credential goes only to the server it was checked against
    const stored = loadCredentials(env).servers[url];
    if (stored) found = { token: stored.token, source: '`renkei login`' };
    else if (!onThisMachine(url)) throw usageError(`no admin credential for ${url}: run \`renkei login\`, or set RENKEI_ADMIN_TOKEN, or give --token-file FILE`);
    else {
      try {
        found = { token: readTextFile(ADMIN_TOKEN_FILE, cwd, ADMIN_TOKEN_FILE).trim(), source: ADMIN_TOKEN_FILE };
      } catch {
        throw usageError(`no admin credential for ${url}: run \`renkei login\`, or set RENKEI_ADMIN_TOKEN, or give --token-file FILE`);
      }
    }
  }
  // a header cannot carry control characters; say so without repeating the token (exit 1 for a
  // file that cannot be used, as for one that is missing; 2 for a variable given wrong)
  if (!found.token || !/^[\x21-\x7e]+$/.test(found.token)) {
    const message = `the admin credential in ${found.source} is empty or holds characters a bearer token cannot have`;
    throw found.source === 'RENKEI_ADMIN_TOKEN' ? usageError(message) : refused(message);
  }
  return found;
}

export function resolveConnection(context: Context): AdminConnection {
  const { url } = resolveAdminUrl(context);
  const { token, source } = resolveToken(context, url);
  return { url, token, tokenSource: source };
}
