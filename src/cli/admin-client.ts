import { EXIT, ExitError, refused } from './cli-errors.js';
import type { CommandContext } from './command.js';
import { ADMIN_TOKEN_FILE, DEFAULT_ADMIN_URL, resolveConnection } from './connection.js';
import { printable } from './output.js';

export { ADMIN_TOKEN_FILE, DEFAULT_ADMIN_URL };

/** The token source of a credential typed at `renkei login`. */
export const TYPED_CREDENTIAL = 'typed';
const TIMEOUT_MS = 30_000;

/** The help lines every command that talks to the admin API shows. */
export const ADMIN_NOTES = [
  `Server: --url URL, else RENKEI_ADMIN_URL, else RENKEI_ADMIN_HOST/RENKEI_ADMIN_PORT, else the last`,
  `\`renkei login\`, else ${DEFAULT_ADMIN_URL}. Credential: --token-file FILE, else RENKEI_ADMIN_TOKEN,`,
  `else what \`renkei login\` stored for that server, else ${ADMIN_TOKEN_FILE} in the current directory.`,
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

function describeProblem(status: number, problem: ApiProblem, tokenSource: string): string {
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
  // a source is where the credential came from, or (renkei login) `typed`
  if (status === 401) lines.push(`  the credential ${tokenSource === TYPED_CREDENTIAL ? 'you typed' : `from ${tokenSource}`} is not (or no longer) valid on this server`);
  return lines.join('\n');
}

const NETWORK_REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'unknown host',
  EAI_AGAIN: 'the host name could not be looked up',
  ECONNRESET: 'the connection was reset',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'the host cannot be reached',
  ENETUNREACH: 'the network cannot be reached',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its TLS certificate is for another host name',
  // https:// to a listener that answers in plain http, as renkei's own admin listener does
  ERR_SSL_WRONG_VERSION_NUMBER: 'it answers plain http, not TLS: give its http:// address, or the https address of the proxy in front of it',
};

/** Why fetch failed, in the operator's words (never the token). */
function describeNetworkError(error: unknown, url: string, timeoutMs: number): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const name = (error as Error).name;
  if (name === 'TimeoutError') return `the admin API at ${url} did not answer within ${timeoutMs / 1000} s`;
  const code = cause?.code ?? '';
  const reason = NETWORK_REASONS[code] ?? (code.includes('CERT') || code.includes('SELF_SIGNED') ? `its TLS certificate is not trusted (${code})` : code || cause?.message || (error as Error).message);
  return `cannot reach the admin API at ${url} (${reason}); is renkei running, and is this its admin listener?`;
}

/**
 * A refusal the server answered (4xx): the request was read and turned down, nothing of it done.
 * Other failures (no answer in time, no connection, 5xx) may have left part of it done.
 */
export class AdminRefusal extends ExitError {
  constructor(message: string, readonly status: number) {
    super(message, EXIT.refused);
  }
}

/** The admin API over HTTP: JSON in and out; any refusal becomes exit 1 with the server's message. */
export class AdminClient {
  constructor(
    readonly baseUrl: string,
    private readonly token: string,
    private readonly tokenSource = 'the credential',
  ) {}

  /** The server and credential the context names (connection.ts says in which order). */
  static fromContext(context: Pick<CommandContext, 'env' | 'cwd' | 'global'>): AdminClient {
    const { url, token, tokenSource } = resolveConnection(context);
    return new AdminClient(url, token, tokenSource);
  }

  get<T>(path: string): Promise<T> {
    return this.call<T>('GET', path).then((answer) => answer.body);
  }
  /** GET, with `undefined` when the server answers 404 not_found. */
  async find<T>(path: string): Promise<T | undefined> {
    const answer = await this.call<T>('GET', path, undefined, { notFound: true });
    return answer.status === 404 ? undefined : answer.body;
  }
  /** `timeoutMs`: for a request that takes long by design (an import batch hashes its secrets) */
  post<T>(path: string, body?: unknown, { timeoutMs = TIMEOUT_MS } = {}): Promise<T> {
    return this.call<T>('POST', path, body, { timeoutMs }).then((answer) => answer.body);
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
  async call<T>(method: Method, path: string, body?: unknown, { notFound = false, timeoutMs = TIMEOUT_MS } = {}): Promise<AdminAnswer<T>> {
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
        signal: AbortSignal.timeout(timeoutMs),
      });
      status = response.status;
      text = await response.text();
    } catch (error) {
      throw refused(describeNetworkError(error, this.baseUrl, timeoutMs));
    }
    const unexpected = () => refused(`unexpected answer from ${url}: HTTP ${status}; is ${this.baseUrl} renkei's admin listener?`);
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      throw unexpected();
    }
    if (status >= 200 && status < 300) {
      // the admin API answers every success with JSON but a 204; an empty 2xx is another server (a proxy, a page)
      if (json === undefined && status !== 204) throw unexpected();
      return { status, body: json as T };
    }
    // the admin API always refuses with { error, message, details }; anything else is another server
    const problem = json as ApiProblem | undefined;
    if (typeof problem?.error !== 'string' || typeof problem.message !== 'string') throw unexpected();
    if (notFound && status === 404 && problem.error === 'not_found') return { status, body: undefined as T };
    const message = describeProblem(status, problem, this.tokenSource);
    throw status < 500 ? new AdminRefusal(message, status) : refused(message);
  }
}
