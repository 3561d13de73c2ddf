import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AccountSourceUnavailable } from '../../../src/accounts/account-source/account-source.js';
import { maskAccountNumber } from '../../../src/accounts/account-source/bank-account.js';
import { HttpAccountSource } from '../../../src/accounts/account-source/http-account-source.js';
import type { AccountsHttpConfig } from '../../../src/settings/types.js';
import { createCustomer } from '../../support/oauth-fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { expectRefused, expectUsageError, okJson, renkei } from '../cli/cli-kit.js';
import { AccountService } from './account-service.js';

const ACCOUNT = { account_id: 'a-1', type: '普通', branch: '001', number: '1234567', nickname: '生活費' } as const;

describe('accounts.source directory: operators register accounts with the customer', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('adds, lists and removes accounts through the CLI (admin API), and consent reads them from the directory', async () => {
    const customer = await createCustomer(server);
    const added = okJson<{ account_id: string }>(await renkei(server, ['user', 'accounts', 'add', customer.loginId, '--type', '普通', '--branch', '001', '--number', '1234567', '--nickname', '生活費', '--json']));
    expect(added).toEqual({ account_id: expect.stringMatching(/^acc-/), type: '普通', branch: '001', number: '1234567', nickname: '生活費' });
    okJson(await renkei(server, ['user', 'accounts', 'add', customer.loginId, '--type', '貯蓄', '--branch', '002', '--number', '7654321', '--json']));
    const listed = okJson<{ account_id: string; type: string }[]>(await renkei(server, ['user', 'accounts', 'list', customer.loginId, '--json']));
    expect(listed.map((a) => a.type)).toEqual(['普通', '貯蓄']);
    expect(await server.app.accountSource.listAccounts(customer.sub)).toEqual(listed);

    const table = await renkei(server, ['user', 'accounts', 'list', customer.loginId]);
    expect(table.stdout).toMatch(/^ACCOUNT_ID\s+TYPE\s+BRANCH\s+NUMBER\s+NICKNAME/);
    expect(table.stdout).toContain('生活費');

    const removed = okJson<{ removed: boolean }>(await renkei(server, ['user', 'accounts', 'remove', customer.loginId, added.account_id, '--json']));
    expect(removed.removed).toBe(true);
    expect((await server.app.accountSource.listAccounts(customer.sub)).map((a) => a.type)).toEqual(['貯蓄']);
    expect(server.logs.events().filter((e) => e.event === 'user.account_added' || e.event === 'user.account_removed').map((e) => e.event))
      .toEqual(['user.account_added', 'user.account_added', 'user.account_removed']);
  });

  it('refuses bad input, duplicates and unknown accounts, with usage errors on the command line', async () => {
    const customer = await createCustomer(server);
    expectUsageError(await renkei(server, ['user', 'accounts', 'add', customer.loginId, '--type', '定期', '--branch', '001', '--number', '1']), /--type must be one of 普通, 当座, 貯蓄/);
    expectUsageError(await renkei(server, ['user', 'accounts', 'add', customer.loginId, '--type', '普通', '--branch', '1', '--number', '1']), /--branch must be three digits/);
    expectUsageError(await renkei(server, ['user', 'accounts', 'list', customer.loginId, '--branch', '001']), /--branch is for `user accounts add` only/);
    expectUsageError(await renkei(server, ['user', 'accounts', 'open', customer.loginId]), /unknown action "open"/);
    expectUsageError(await renkei(server, ['user', 'accounts', 'ad', customer.loginId, '--type', '普通']), /unknown action "ad": add, list or remove; did you mean "user accounts add"\?/);
    await renkei(server, ['user', 'accounts', 'add', customer.loginId, '--type', '当座', '--branch', '003', '--number', '42']);
    expectRefused(await renkei(server, ['user', 'accounts', 'add', customer.loginId, '--type', '当座', '--branch', '003', '--number', '42']), /already has 当座 003-42/);
    expectRefused(await renkei(server, ['user', 'accounts', 'remove', customer.loginId, 'acc-nope']), /account acc-nope not found/);
    expectRefused(await renkei(server, ['user', 'accounts', 'list', 'no-such-user']), /user no-such-user not found/);

    const response = await fetch(`${server.adminUrl}/admin/v1/users/${customer.loginId}/accounts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.adminToken.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: '普通', branch: '001', number: '12ab', extra: 1 }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { details: { path: string }[] }).details.map((d) => d.path).sort()).toEqual(['/extra', '/number']);
  });
});

describe('accounts.source http: the credit union account service', () => {
  const service = new AccountService();
  let url: string;
  let tokenFile: string;
  beforeAll(async () => {
    url = await service.start();
    tokenFile = join(mkdtempSync(join(tmpdir(), 'renkei-acct-')), 'token');
    writeFileSync(tokenFile, 'service-token-123\n');
  });
  afterAll(() => service.stop());

  const config = (overrides: Partial<AccountsHttpConfig> = {}): AccountsHttpConfig => ({
    url, tokenFile, clientCertFile: null, clientKeyFile: null, caFile: null, timeoutMs: 200, breakerFailures: 2, breakerCooldownSeconds: 30, ...overrides,
  });

  it('asks GET {url}?sub=… with the bearer token from tokenFile and returns the accounts', async () => {
    service.mode = 'ok';
    service.accounts.set('sub-1', [ACCOUNT]);
    const before = service.requests.length;
    expect(await new HttpAccountSource(config()).listAccounts('sub-1')).toEqual([ACCOUNT]);
    const request = service.requests[before]!;
    expect(request.url).toBe('/accounts?sub=sub-1');
    expect(request.headers.authorization).toBe('Bearer service-token-123');
  });

  it('a slow, failing or malformed answer is AccountSourceUnavailable (503)', async () => {
    for (const mode of ['hang', 500, 'garbage'] as const) {
      service.mode = mode;
      const error = await new HttpAccountSource(config()).listAccounts('sub-1').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AccountSourceUnavailable);
      expect((error as AccountSourceUnavailable).status).toBe(503);
    }
    service.mode = 'ok';
    service.accounts.set('sub-2', [{ ...ACCOUNT, type: '定期' as never }]);
    await expect(new HttpAccountSource(config()).listAccounts('sub-2')).rejects.toBeInstanceOf(AccountSourceUnavailable);
  });

  it('opens the circuit after consecutive failures (no more calls), and tries again after the cooldown', async () => {
    let now = 1_000_000;
    const source = new HttpAccountSource(config(), () => now);
    service.mode = 503;
    await expect(source.listAccounts('sub-1')).rejects.toBeInstanceOf(AccountSourceUnavailable);
    await expect(source.listAccounts('sub-1')).rejects.toBeInstanceOf(AccountSourceUnavailable);
    const calls = service.requests.length;
    await expect(source.listAccounts('sub-1')).rejects.toBeInstanceOf(AccountSourceUnavailable);
    expect(service.requests.length).toBe(calls);
    service.mode = 'ok';
    now += 31_000;
    expect(await source.listAccounts('sub-1')).toEqual([ACCOUNT]);
    expect(service.requests.length).toBe(calls + 1);
  });
});

describe('accounts.source http over mutual TLS', () => {
  it('presents clientCertFile/clientKeyFile and checks the service against caFile', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'renkei-mtls-'));
    const file = (name: string) => join(dir, name);
    const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
    openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', '/CN=test CA', '-keyout', file('ca.key'), '-out', file('ca.pem'));
    for (const [name, subject, ext] of [['server', '/CN=localhost', 'subjectAltName=IP:127.0.0.1'], ['client', '/CN=renkei', 'extendedKeyUsage=clientAuth']] as const) {
      openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', subject, '-keyout', file(`${name}.key`), '-out', file(`${name}.csr`));
      writeFileSync(file(`${name}.ext`), `${ext}\n`);
      openssl('x509', '-req', '-in', file(`${name}.csr`), '-CA', file('ca.pem'), '-CAkey', file('ca.key'), '-CAcreateserial', '-days', '1', '-extfile', file(`${name}.ext`), '-out', file(`${name}.pem`));
    }
    const peers: string[] = [];
    const server = createHttpsServer({ key: readFileSync(file('server.key')), cert: readFileSync(file('server.pem')), ca: readFileSync(file('ca.pem')), requestCert: true, rejectUnauthorized: true }, (req, res) => {
      peers.push(String((req.socket as TLSSocket).getPeerCertificate().subject?.CN));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify([ACCOUNT]));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/accounts`;
      const base: AccountsHttpConfig = { url, tokenFile: null, clientCertFile: file('client.pem'), clientKeyFile: file('client.key'), caFile: file('ca.pem'), timeoutMs: 2000, breakerFailures: 3, breakerCooldownSeconds: 30 };
      expect(await new HttpAccountSource(base).listAccounts('sub-1')).toEqual([ACCOUNT]);
      expect(peers).toEqual(['renkei']);
      await expect(new HttpAccountSource({ ...base, clientCertFile: null, clientKeyFile: null }).listAccounts('sub-1')).rejects.toBeInstanceOf(AccountSourceUnavailable);
      await expect(new HttpAccountSource({ ...base, caFile: null }).listAccounts('sub-1')).rejects.toBeInstanceOf(AccountSourceUnavailable);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

describe('account numbers on screens', () => {
  it('are masked except the last four digits', () => {
    expect(maskAccountNumber('1234567')).toBe('***4567');
    expect(maskAccountNumber('42')).toBe('42');
  });
});
