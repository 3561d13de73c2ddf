/**
 * `renkei user import` with customers' accounts (SPEC §6, accounts.source directory): a CSV cell
 * `type:branch:number[:nickname]` separated by `;`, or a JSON Lines array; checked with the other
 * fields before anything is written, stored with the customer, replaced by --update, exported.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { BankAccount } from '../../../src/accounts/account-source/bank-account.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { expectRefused, okJson, renkei, scratchDir } from './cli-kit.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

interface Report {
  created: number;
  updated: number;
  skipped: number;
  invalid: number;
  written: boolean;
  invalid_rows: { line: number; reason: string }[];
}

const tag = () => randomUUID().slice(0, 8);
const cli = (...args: string[]) => renkei(server, args);
const accountsOf = async (loginId: string) => (await server.app.customers.findByLoginId(loginId))?.accounts;

function file(name: string, text: string): string {
  const path = join(scratchDir(), name);
  writeFileSync(path, text);
  return path;
}

const CSV_HEADER = 'login_id,user_number,question,password,answer,accounts';
const csvRow = (loginId: string, accounts: string) => `${loginId},31415926,好きな色は？,import pw 2026,あお,${accounts}`;
const jsonRow = (loginId: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ login_id: loginId, user_number: '27182818', question: '好きな色は？', password: 'import pw 2026', answer: 'あお', ...extra });
const withoutIds = (accounts: readonly BankAccount[] | undefined) => accounts?.map(({ account_id: _id, ...rest }) => rest);

describe('renkei user import: accounts', () => {
  it('reads a CSV accounts cell (type:branch:number[:nickname] separated by ;) and stores the accounts with the customer', async () => {
    const [two, none] = [`acc-${tag()}`, `acc-${tag()}`];
    const text = [CSV_HEADER, csvRow(two, '"普通:001:1234567:生活費; 当座:002:7654321"'), csvRow(none, '')].join('\n');
    expect(okJson<Report>(await cli('user', 'import', file('a.csv', text), '--json'))).toMatchObject({ created: 2, invalid: 0 });

    const stored = await accountsOf(two);
    expect(withoutIds(stored)).toEqual([
      { type: '普通', branch: '001', number: '1234567', nickname: '生活費' },
      { type: '当座', branch: '002', number: '7654321' },
    ]);
    expect(stored!.map((a) => a.account_id)).toEqual([expect.stringMatching(/^acc-[A-Za-z0-9_-]{12}$/), expect.stringMatching(/^acc-/)]);
    expect(new Set(stored!.map((a) => a.account_id)).size).toBe(2);
    expect(await accountsOf(none)).toBeUndefined();

    // the accounts consent offers, as operators list them
    expect(okJson<BankAccount[]>(await cli('user', 'accounts', 'list', two, '--json'))).toEqual(stored);
  });

  it('reads a JSON Lines accounts array', async () => {
    const loginId = `acc-${tag()}`;
    const accounts = [{ type: '貯蓄', branch: '105', number: '0000123', nickname: '積立: 旅行' }];
    expect(okJson<Report>(await cli('user', 'import', file('a.jsonl', `${jsonRow(loginId, { accounts })}\n`), '--json'))).toMatchObject({ created: 1 });
    expect(withoutIds(await accountsOf(loginId))).toEqual(accounts);
  });

  it('checks accounts with the other fields, names the line and reason, and writes nothing', async () => {
    const ids = Array.from({ length: 7 }, () => `acc-${tag()}`);
    const text = [
      jsonRow(ids[0]!, { accounts: [{ type: '普通', branch: '001', number: '1234567' }] }),
      jsonRow(ids[1]!, { user_number: '12', accounts: [{ type: '外貨', branch: '001', number: '1' }] }),
      jsonRow(ids[2]!, { accounts: [{ type: '普通', branch: '01', number: '1' }, { type: '普通', branch: '001', number: '12345678901' }] }),
      jsonRow(ids[3]!, { accounts: [{ type: '普通', branch: '001', number: '1' }, { type: '普通', branch: '001', number: '1', nickname: 'again' }] }),
      jsonRow(ids[4]!, { accounts: [{ type: '普通', branch: '001', number: '1', iban: 'x' }] }),
      jsonRow(ids[5]!, { accounts: { type: '普通' } }),
      jsonRow(ids[6]!, { accounts: [{ type: '普通', branch: '001', number: '1', nickname: 'x'.repeat(51) }] }),
    ].join('\n');
    const result = await cli('user', 'import', file('bad.jsonl', text), '--json');
    expect(result.status).toBe(1);
    const report = JSON.parse(result.stdout) as Report;
    expect(report).toMatchObject({ written: false, created: 0, invalid: 6 });
    expect(report.invalid_rows).toEqual([
      { line: 2, reason: 'user_number: must be 4–16 digits; accounts: account 1: type must be 普通, 当座 or 貯蓄' },
      { line: 3, reason: 'accounts: account 1: branch must be three digits; accounts: account 2: number must be 1–10 digits' },
      { line: 4, reason: 'accounts: account 2: the same account as account 1' },
      { line: 5, reason: 'accounts: account 1: iban is not a known field' },
      { line: 6, reason: 'accounts: must be a list of accounts' },
      { line: 7, reason: 'accounts: account 1: nickname must be at most 50 characters' },
    ]);
    for (const loginId of ids) expect(await server.app.customers.findByLoginId(loginId)).toBeUndefined();
  });

  it('says how to write a CSV accounts cell that has too few parts', async () => {
    const loginId = `acc-${tag()}`;
    const result = await cli('user', 'import', file('bad.csv', [CSV_HEADER, csvRow(loginId, '普通:001:1234567;当座:002')].join('\n')));
    expectRefused(result, /nothing was imported/);
    expect(result.stderr).toContain('line 2: accounts: account 2: write each as type:branch:number or type:branch:number:nickname, separated by ";"');
    expect(await server.app.customers.findByLoginId(loginId)).toBeUndefined();
  });

  it('--update replaces the accounts a row gives (a kept account keeps its ID); a row without accounts keeps them', async () => {
    const loginId = `acc-${tag()}`;
    const first = [{ type: '普通', branch: '001', number: '1111111' }, { type: '当座', branch: '001', number: '2222222' }];
    okJson<Report>(await cli('user', 'import', file('1.jsonl', jsonRow(loginId, { accounts: first })), '--json'));
    const before = (await accountsOf(loginId))!;

    const second = [{ type: '普通', branch: '001', number: '1111111', nickname: '給与' }, { type: '貯蓄', branch: '003', number: '3333333' }];
    expect(okJson<Report>(await cli('user', 'import', file('2.jsonl', jsonRow(loginId, { accounts: second })), '--update', '--json'))).toMatchObject({ updated: 1 });
    const after = (await accountsOf(loginId))!;
    expect(withoutIds(after)).toEqual(second);
    expect(after[0]!.account_id).toBe(before[0]!.account_id);
    expect(before.map((a) => a.account_id)).not.toContain(after[1]!.account_id);

    okJson<Report>(await cli('user', 'import', file('3.jsonl', jsonRow(loginId)), '--update', '--json'));
    expect(await accountsOf(loginId)).toEqual(after);

    okJson<Report>(await cli('user', 'import', file('4.jsonl', jsonRow(loginId, { accounts: [] })), '--update', '--json'));
    expect(await accountsOf(loginId)).toEqual([]);
  });

  it('without --update an existing customer is skipped, accounts included', async () => {
    const loginId = `acc-${tag()}`;
    okJson<Report>(await cli('user', 'import', file('1.csv', [CSV_HEADER, csvRow(loginId, '普通:001:1234567')].join('\n')), '--json'));
    const before = await accountsOf(loginId);
    expect(okJson<Report>(await cli('user', 'import', file('2.csv', [CSV_HEADER, csvRow(loginId, '当座:009:9999999')].join('\n')), '--json'))).toMatchObject({ skipped: 1 });
    expect(await accountsOf(loginId)).toEqual(before);
  });
});

describe('renkei user export: accounts', () => {
  it("writes each customer's directory accounts, and an empty list for a customer without any", async () => {
    const [withAccounts, without] = [`exp-${tag()}`, `exp-${tag()}`];
    okJson<Report>(await cli('user', 'import', file('e.csv', [CSV_HEADER, csvRow(withAccounts, '普通:001:1234567:生活費'), csvRow(without, '')].join('\n')), '--json'));
    const result = await cli('user', 'export');
    expect(result.status).toBe(0);
    const users = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(users.find((user) => user.login_id === withAccounts)?.accounts).toEqual(await accountsOf(withAccounts));
    expect(users.find((user) => user.login_id === without)?.accounts).toEqual([]);
    expect(result.stdout).not.toMatch(/argon2|password|answer|user_number|31415926/);
  });
});

describe('renkei user import with accounts.source http', () => {
  let httpServer: TestServer;
  beforeAll(async () => {
    httpServer = await startTestServer({ config: { accounts: { source: 'http', http: { url: 'http://127.0.0.1:9/accounts' } } } });
  });
  afterAll(() => httpServer.close());

  const REASON = 'accounts: accounts come from the account service (accounts.source is http); leave them out';

  it('refuses rows that carry accounts (the account service holds them) and writes nothing', async () => {
    const [withAccounts, without] = [`http-${tag()}`, `http-${tag()}`];
    const text = [CSV_HEADER, csvRow(without, ''), csvRow(withAccounts, '普通:001:1234567')].join('\n');
    const result = await renkei(httpServer, ['user', 'import', file('h.csv', text)]);
    expectRefused(result, /nothing was imported: 1 of 2 rows are invalid/);
    expect(result.stderr).toContain(`line 3: ${REASON}`);
    const json = await renkei(httpServer, ['user', 'import', file('h.csv', text), '--json']);
    expect(json.status).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ written: false, created: 0, invalid: 1, invalid_rows: [{ line: 3, reason: REASON }] });
    expect(await httpServer.app.customers.findByLoginId(withAccounts)).toBeUndefined();
    expect(await httpServer.app.customers.findByLoginId(without)).toBeUndefined();
  });

  it('imports the others with --skip-invalid', async () => {
    const [withAccounts, without] = [`http-${tag()}`, `http-${tag()}`];
    const text = [CSV_HEADER, csvRow(withAccounts, '普通:001:1234567'), csvRow(without, '')].join('\n');
    const report = okJson<Report>(await renkei(httpServer, ['user', 'import', file('h.csv', text), '--skip-invalid', '--json']));
    expect(report).toMatchObject({ written: true, created: 1, invalid: 1, invalid_rows: [{ line: 2, reason: REASON }] });
    expect(await httpServer.app.customers.findByLoginId(withAccounts)).toBeUndefined();
    expect(await httpServer.app.customers.findByLoginId(without)).toBeDefined();
  });
});
