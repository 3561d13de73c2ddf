import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BankAccount } from '../../../src/accounts/account-source/bank-account.js';

/** A real HTTP account service in the test process: what it answers is set per test; every request is kept. */
export class AccountService {
  readonly requests: IncomingMessage[] = [];
  accounts = new Map<string, BankAccount[]>();
  /** 'ok', a status to answer with, 'hang' (never answers) or 'garbage' */
  mode: 'ok' | 'hang' | 'garbage' | number = 'ok';
  private server: Server | undefined;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      this.requests.push(req);
      const sub = new URL(req.url ?? '/', 'http://x').searchParams.get('sub') ?? '';
      if (this.mode === 'hang') return;
      if (typeof this.mode === 'number') {
        res.writeHead(this.mode).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(this.mode === 'garbage' ? '{"not":"a list"' : JSON.stringify(this.accounts.get(sub) ?? []));
    });
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/accounts`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}
