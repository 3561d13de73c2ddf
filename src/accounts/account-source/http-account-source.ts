import { readFileSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AccountsHttpConfig } from '../../settings/types.js';
import { AccountSourceUnavailable, type AccountSource } from './account-source.js';
import { toBankAccount, type BankAccount } from './bank-account.js';
import { CircuitBreaker } from './circuit-breaker.js';

const MAX_RESPONSE_BYTES = 256 * 1024;

/** The credentials renkei presents to the account service, read once at start from the files config names. */
function credentials(config: AccountsHttpConfig): Pick<RequestOptions, 'headers'> & { cert?: Buffer; key?: Buffer; ca?: Buffer } {
  const token = config.tokenFile ? readFileSync(config.tokenFile, 'utf8').trim() : undefined;
  return {
    headers: { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(config.clientCertFile ? { cert: readFileSync(config.clientCertFile) } : {}),
    ...(config.clientKeyFile ? { key: readFileSync(config.clientKeyFile) } : {}),
    ...(config.caFile ? { ca: readFileSync(config.caFile) } : {}),
  };
}

async function readBody(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_RESPONSE_BYTES) throw new Error('response too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * `accounts.source: http`: the credit union's account service, `GET {url}?sub=…` answering
 * `[{ account_id, type, branch, number, nickname }]`. A slow (timeoutMs), failing or malformed
 * answer is AccountSourceUnavailable; after consecutive failures the circuit breaker answers so
 * at once for a while instead of making every customer wait.
 */
export class HttpAccountSource implements AccountSource {
  private readonly breaker: CircuitBreaker;
  private readonly options: ReturnType<typeof credentials>;

  constructor(private readonly config: AccountsHttpConfig, now: () => number = Date.now) {
    if (!config.url) throw new TypeError('accounts.http.url is required when accounts.source is http');
    this.breaker = new CircuitBreaker(config.breakerFailures, config.breakerCooldownSeconds * 1000, now);
    this.options = credentials(config);
  }

  async listAccounts(sub: string): Promise<readonly BankAccount[]> {
    return this.breaker.call(() => this.fetchAccounts(sub), () => new AccountSourceUnavailable('circuit open'));
  }

  private async fetchAccounts(sub: string): Promise<readonly BankAccount[]> {
    const url = new URL(this.config.url!);
    url.searchParams.set('sub', sub);
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const body = await new Promise<string>((resolve, reject) => {
      const req = request(url, { ...this.options, method: 'GET', signal: AbortSignal.timeout(this.config.timeoutMs) }, (response) => {
        if (response.statusCode !== 200) {
          response.resume();
          reject(new AccountSourceUnavailable(`status ${response.statusCode}`));
          return;
        }
        readBody(response).then(resolve, reject);
      });
      req.on('error', (error) => reject(new AccountSourceUnavailable(error.name === 'AbortError' ? 'timeout' : error.message)));
      req.end();
    });
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      throw new AccountSourceUnavailable('not JSON');
    }
    if (!Array.isArray(parsed)) throw new AccountSourceUnavailable('not an array');
    const accounts = parsed.map(toBankAccount);
    if (accounts.some((a) => a === undefined)) throw new AccountSourceUnavailable('malformed account');
    return accounts as BankAccount[];
  }
}
