import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { refused, usageError } from './cli-errors.js';
import type { CommandContext } from './command.js';
import { printable } from './output.js';

export const DEFAULT_ADMIN_URL = 'http://127.0.0.1:3001';
export const ADMIN_TOKEN_FILE = '.renkei/admin-token';
const TIMEOUT_MS = 30_000;

/** The help lines every command that talks to the admin API shows. */
export const ADMIN_NOTES = [
  `Talks to the admin API at RENKEI_ADMIN_URL (default ${DEFAULT_ADMIN_URL}) with the bearer token`,
  `RENKEI_ADMIN_TOKEN, or the one in ${ADMIN_TOKEN_FILE} in the current directory.`,
  'Exit codes: 0 success, 1 refused by the server (message on stderr), 2 usage error.',
];

interface ApiProblem {
  readonly error?: unknown;
  readonly message?: unknown;
  readonly details?: unknown;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface AdminAnswer<T> {
  readonly status: number;
  readonly body: T;
}

/** A path segment (client ID, login ID, grant ID), percent-encoded; dot segments cannot be addressed. */
export function segment(value: string): string {
  if (value === '.' || value === '..') throw refused(`"${value}" cannot be used as an ID`);
  return encodeURIComponent(value);
}

function describeProblem(status: number, problem: ApiProblem): string {
  const code = typeof problem.error === 'string' ? problem.error : `HTTP ${status}`;
  const message = typeof problem.message === 'string' && problem.message ? problem.message : 'refused';
  const lines = [`${code}: ${printable(message)}`];
  if (Array.isArray(problem.details)) {
    for (const detail of problem.details as { path?: unknown; message?: unknown }[]) {
      if (typeof detail?.message !== 'string') continue;
      const line = `${typeof detail.path === 'string' ? detail.path : '/'}: ${detail.message}`;
      if (!message.includes(detail.message)) lines.push(`  ${printable(line)}`);
    }
  }
  if (status === 401) lines.push(`  check RENKEI_ADMIN_TOKEN (or ${ADMIN_TOKEN_FILE}): it must be the server's admin token`);
  return lines.join('\n');
}

/** Why fetch failed, in the operator's words (never the token). */
function describeNetworkError(error: unknown, url: string): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const name = (error as Error).name;
  if (name === 'TimeoutError') return `the admin API at ${url} did not answer within ${TIMEOUT_MS / 1000} s`;
  const code = cause?.code ?? '';
  const reason = code === 'ECONNREFUSED' ? 'connection refused'
    : code === 'ENOTFOUND' ? 'unknown host'
    : code || cause?.message || (error as Error).message;
  return `cannot reach the admin API at ${url} (${reason}); is renkei running, and is RENKEI_ADMIN_URL its admin listener?`;
}

/** The admin API over HTTP: JSON in and out; any refusal becomes exit 1 with the server's message. */
export class AdminClient {
  constructor(
    readonly baseUrl: string,
    private readonly token: string,
  ) {}

  /** From RENKEI_ADMIN_URL and RENKEI_ADMIN_TOKEN (or .renkei/admin-token in the current directory). */
  static fromContext({ env, cwd }: Pick<CommandContext, 'env' | 'cwd'>): AdminClient {
    const raw = env.RENKEI_ADMIN_URL?.trim() || DEFAULT_ADMIN_URL;
    const url = URL.parse(raw);
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.search || url.hash) {
      throw usageError(`RENKEI_ADMIN_URL must be an http(s) URL such as ${DEFAULT_ADMIN_URL}`);
    }
    if (url.username || url.password) throw usageError('RENKEI_ADMIN_URL must not carry credentials; use RENKEI_ADMIN_TOKEN');
    return new AdminClient(url.toString().replace(/\/+$/, ''), readToken(env, cwd));
  }

  get<T>(path: string): Promise<T> {
    return this.call<T>('GET', path).then((answer) => answer.body);
  }
  /** GET, with `undefined` when the server answers 404 not_found. */
  async find<T>(path: string): Promise<T | undefined> {
    const answer = await this.call<T>('GET', path, undefined, { notFound: true });
    return answer.status === 404 ? undefined : answer.body;
  }
  post<T>(path: string, body?: unknown): Promise<T> {
    return this.call<T>('POST', path, body).then((answer) => answer.body);
  }
  patch<T>(path: string, body: unknown): Promise<T> {
    return this.call<T>('PATCH', path, body).then((answer) => answer.body);
  }
  put<T>(path: string, body: unknown): Promise<AdminAnswer<T>> {
    return this.call<T>('PUT', path, body);
  }
  async delete(path: string): Promise<void> {
    await this.call('DELETE', path);
  }

  /** One request to `/admin/v1${path}`. */
  async call<T>(method: Method, path: string, body?: unknown, { notFound = false } = {}): Promise<AdminAnswer<T>> {
    const url = `${this.baseUrl}/admin/v1${path}`;
    let status: number;
    let text: string;
    try {
      const response = await fetch(url, {
        method,
        headers: {
          accept: 'application/json',
          authorization: `Bearer ${this.token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        redirect: 'error',
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      status = response.status;
      text = await response.text();
    } catch (error) {
      throw refused(describeNetworkError(error, this.baseUrl));
    }
    const unexpected = () => refused(`unexpected answer from ${url}: HTTP ${status}; is RENKEI_ADMIN_URL the admin listener?`);
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      throw unexpected();
    }
    if (status >= 200 && status < 300) return { status, body: json as T };
    // the admin API always refuses with { error, message, details }; anything else is another server
    const problem = json as ApiProblem | undefined;
    if (typeof problem?.error !== 'string' || typeof problem.message !== 'string') throw unexpected();
    if (notFound && status === 404 && problem.error === 'not_found') return { status, body: undefined as T };
    throw refused(describeProblem(status, problem));
  }
}

function readToken(env: CommandContext['env'], cwd: string): string {
  let token = env.RENKEI_ADMIN_TOKEN?.trim();
  let source = 'RENKEI_ADMIN_TOKEN';
  if (!token) {
    source = ADMIN_TOKEN_FILE;
    try {
      token = readFileSync(join(cwd, ADMIN_TOKEN_FILE), 'utf8').trim();
    } catch {
      throw usageError(`no admin token: set RENKEI_ADMIN_TOKEN, or run renkei in the directory holding ${ADMIN_TOKEN_FILE}`);
    }
  }
  // a header cannot carry control characters; say so without repeating the token
  if (!token || !/^[\x21-\x7e]+$/.test(token)) throw usageError(`the admin token in ${source} is empty or holds characters a bearer token cannot have`);
  return token;
}
