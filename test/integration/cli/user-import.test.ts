/**
 * `renkei user import` / `user export` (SPEC §6): every row checked first with its line number,
 * nothing written unless all are valid or --skip-invalid, idempotent by login ID, --update,
 * --dry-run, progress on stderr, and imported passlib hashes that log in through the screens and
 * are replaced by Argon2id.
 */
import { pbkdf2Sync, randomBytes, randomUUID, scryptSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runCli } from '../../../src/cli/main.js';
import { callbackParams } from '../../support/browserless.js';
import { completeJourney } from '../../support/journey.js';
import { registerClient, type TestClient } from '../../support/oauth-fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { Collected, expectNoSecrets, okJson, renkei, scratchDir, transcript } from './cli-kit.js';

let server: TestServer;
let client: TestClient;

beforeAll(async () => {
  // real Argon2id: a legacy hash is upgraded to the production parameters
  server = await startTestServer({ fastHashing: false });
  client = await registerClient(server);
});
afterAll(() => server.close());

interface Report {
  file: string;
  format: 'csv' | 'jsonl';
  dry_run: boolean;
  written: boolean;
  rows: number;
  created: number;
  updated: number;
  skipped: number;
  invalid: number;
  invalid_rows: { line: number; reason: string }[];
}

const tag = () => randomUUID().slice(0, 8);
const b64 = (buffer: Buffer) => buffer.toString('base64').replace(/=+$/, '');
const ab64 = (buffer: Buffer) => b64(buffer).replace(/\+/g, '.');

/** passlib's $scrypt$ (cheap parameters, so the test stays fast) */
function passlibScrypt(secret: string): string {
  const salt = randomBytes(16);
  return `$scrypt$ln=10,r=8,p=1$${b64(salt)}$${b64(scryptSync(secret, salt, 32, { N: 1024, r: 8, p: 1 }))}`;
}

/** passlib's $pbkdf2-sha256$ (adapted base64) */
function passlibPbkdf2(secret: string): string {
  const salt = randomBytes(16);
  return `$pbkdf2-sha256$1000$${ab64(salt)}$${ab64(pbkdf2Sync(secret, salt, 1000, 32, 'sha256'))}`;
}

function file(name: string, text: string): string {
  const path = join(scratchDir(), name);
  writeFileSync(path, text);
  return path;
}

const jsonl = (rows: readonly Record<string, string>[]) => rows.map((row) => JSON.stringify(row)).join('\n') + '\n';

function row(loginId: string, extra: Record<string, string> = {}): Record<string, string> {
  return { login_id: loginId, user_number: '31415926', name: '山田 太郎', question: '好きな色は？', password: 'import pw 2026', answer: 'あお', ...extra };
}

const cli = (...args: string[]) => renkei(server, args);
const find = (loginId: string) => server.app.customers.findByLoginId(loginId);

describe('renkei user import: every row checked first', () => {
  it('lists each bad JSON Lines row with its line and reason, and writes nothing', async () => {
    const [good, short] = [`imp-${tag()}`, `imp-${tag()}`];
    const text = [
      JSON.stringify(row(good)),
      '',
      JSON.stringify(row(short, { user_number: '12' })),
      '{"login_id": "broken",',
      JSON.stringify({ ...row(`imp-${tag()}`), password: undefined, password_hash: '$md5$abc' }),
      JSON.stringify(row(good.toUpperCase())),
    ].join('\n');
    const result = await cli('user', 'import', file('customers.jsonl', text));
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('line 3: user_number: must be 4–16 digits');
    expect(result.stderr).toMatch(/line 4: not valid JSON/);
    expect(result.stderr).toContain('line 5: password_hash: unknown hash scheme');
    expect(result.stderr).toContain('line 6: login_id: same as line 1');
    expect(result.stderr).toContain('nothing was imported: 4 of 5 rows are invalid');
    expect(await find(good)).toBeUndefined();
    expectNoSecrets([result.stderr], ['import pw 2026']);
  });

  it('reads CSV with a header row and RFC 4180 quoting, naming the line each bad record starts on', async () => {
    const [a, b] = [`csv-${tag()}`, `csv-${tag()}`];
    const text = [
      'login_id,user_number,name,question,password,answer',
      `${a},31415926,"山田, 太郎","好きな色は？ ""漢字""",import pw 2026,あお`,
      `${b},31415926,"二行の`,
      `名前",好きな色は？,short,あお`,
      `csv-${tag()},31415926,名前,好きな色は？,import pw 2026`,
    ].join('\r\n');
    const path = file('customers.txt', text);
    const refusedRun = await cli('user', 'import', path, '--json');
    expect(refusedRun.status).toBe(1);
    const report = JSON.parse(refusedRun.stdout) as Report;
    expect(report).toMatchObject({ format: 'csv', written: false, rows: 3, invalid: 2, created: 0 });
    expect(report.invalid_rows).toEqual([
      { line: 3, reason: 'name: must be one line of printable characters (no line breaks, tabs or invisible characters); password: must be 8–128 printable characters' },
      { line: 5, reason: 'has 5 fields; the header has 6' },
    ]);

    const imported = okJson<Report>(await cli('user', 'import', path, '--skip-invalid', '--json'));
    expect(imported).toMatchObject({ written: true, created: 1, skipped: 0, invalid: 2 });
    expect(await find(a)).toMatchObject({ name: '山田, 太郎', question: '好きな色は？ "漢字"' });
    expect(await find(b)).toBeUndefined();
  });
});

describe('renkei user import: files', () => {
  it('reads Shift_JIS CSV as Japanese spreadsheets export it, and names a file that cannot be read', async () => {
    const loginId = `sjis-${tag()}`;
    const sjis = new Uint8Array([...Buffer.from(`login_id,user_number,name,question,password,answer\n${loginId},31415926,`), 0x8e, 0x52, 0x93, 0x63, ...Buffer.from(',q,import pw 2026,ao\n')]);
    const path = join(scratchDir(), 'sjis.csv');
    writeFileSync(path, sjis);
    okJson<Report>(await cli('user', 'import', path, '--json'));
    expect((await find(loginId))!.name).toBe('山田');

    const missing = await cli('user', 'import', 'no-such-file.csv');
    expect({ status: missing.status, stderr: missing.stderr }).toEqual({ status: 1, stderr: 'renkei: cannot use no-such-file.csv: there is no such file\n' });
  });

  it('refuses a file that holds no customer (empty, or a header row alone), naming it: exit 1, not a successful import', async () => {
    const empty = join(scratchDir(), 'empty.csv');
    writeFileSync(empty, '');
    const headerOnly = join(scratchDir(), 'header-only.csv');
    writeFileSync(headerOnly, 'login_id,user_number\n');
    for (const path of [empty, headerOnly]) {
      const result = await cli('user', 'import', path, '--json');
      expect({ status: result.status, stdout: result.stdout, stderr: result.stderr }).toEqual({ status: 1, stdout: '', stderr: `renkei: cannot use ${path}: it holds no customers (no row under a header row naming the columns)\n` });
    }
  });

  it('names the file in a header row it cannot use, and says when its columns are separated by semicolons', async () => {
    const semicolons = join(scratchDir(), 'semicolons.csv');
    writeFileSync(semicolons, 'login_id;user_number;question;password;answer\na;31415926;q;import pw 2026;ao\n');
    const result = await cli('user', 'import', semicolons);
    expect([result.status, result.stderr]).toEqual([1, `renkei: cannot use ${semicolons}: its header row (line 1) separates the columns with ";": save the file as comma-separated CSV (or as JSON Lines)\n`]);
  });

  it('says how to resume when the server stops answering part way', async () => {
    const path = file('stop.jsonl', jsonl([row(`stop-${tag()}`)]));
    const unreachable = { env: { RENKEI_ADMIN_URL: 'http://127.0.0.1:9' } };
    // the server checks every row before any is written: stopped there, nothing is in
    const checking = await renkei(server, ['user', 'import', path], unreachable);
    expect(checking.status).toBe(1);
    expect(checking.stderr).toMatch(/cannot reach the admin API at http:\/\/127\.0\.0\.1:9/);
    expect(checking.stderr).not.toContain('rows before it may be in');
    // with --skip-invalid the rows are written as they are checked
    const writing = await renkei(server, ['user', 'import', path, '--skip-invalid'], unreachable);
    expect(writing.status).toBe(1);
    expect(writing.stderr).toMatch(/cannot reach the admin API at http:\/\/127\.0\.0\.1:9/);
    expect(writing.stderr).toContain('the import stopped at the batch starting on line 1; rows before it may be in. Run the same command again to resume');
  });
});

describe('renkei user import: writing', () => {
  it('--dry-run checks against the server and writes nothing', async () => {
    const existing = `dry-${tag()}`;
    await cli('user', 'import', file('one.jsonl', jsonl([row(existing)])), '--json');
    const fresh = `dry-${tag()}`;
    const report = okJson<Report>(await cli('user', 'import', file('two.jsonl', jsonl([row(existing), row(fresh)])), '--dry-run', '--json'));
    expect(report).toMatchObject({ dry_run: true, written: false, created: 1, skipped: 1, updated: 0, invalid: 0 });
    expect(await find(fresh)).toBeUndefined();
  });

  it('is idempotent by canonical login ID: a second run skips everyone; --update replaces details and secrets', async () => {
    const ids = [`rerun-${tag()}`, `rerun-${tag()}`, `rerun-${tag()}`];
    const path = file('customers.jsonl', jsonl(ids.map((id) => row(id))));
    const first = await cli('user', 'import', path);
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('created 3, updated 0, skipped 0, invalid 0');
    expect(first.stderr).toContain('imported 3/3 rows (100%)');

    // an interrupted import is resumed by running it again, with more rows in the file
    const more = `rerun-${tag()}`;
    const again = okJson<Report>(await cli('user', 'import', file('more.jsonl', jsonl([...ids.map((id) => row(id.toUpperCase())), row(more)])), '--json'));
    expect(again).toMatchObject({ created: 1, skipped: 3, updated: 0 });

    const before = (await find(ids[0]!))!;
    const hash = passlibPbkdf2('a new password 1');
    const updated = okJson<Report>(await cli('user', 'import', file('upd.jsonl', jsonl([{ ...row(ids[0]!, { name: '新しい 名前' }), password: undefined, password_hash: hash } as unknown as Record<string, string>])), '--update', '--json'));
    expect(updated).toMatchObject({ created: 0, updated: 1, skipped: 0 });
    const after = (await find(ids[0]!))!;
    expect(after).toMatchObject({ sub: before.sub, name: '新しい 名前', passwordHash: hash, createdAt: before.createdAt });
  });

  it('--update with the same plain-text secrets changes no credential and ends no grant; a new password ends them', async () => {
    const id = `keep-${tag()}`;
    const path = file('keep.jsonl', jsonl([row(id)]));
    expect((await cli('user', 'import', path)).status).toBe(0);
    const customer = (await find(id))!;
    const grant = new server.provider.Grant({ accountId: customer.sub, clientId: client.clientId });
    grant.addOIDCScope('openid accounts');
    const grantId = await grant.save();
    const now = Date.now();
    await server.app.grants.record(customer.sub, { grantId, clientId: client.clientId, scope: 'openid accounts', createdAt: now, expiresAt: now + 86_400_000 });

    expect(okJson<Report>(await cli('user', 'import', path, '--update', '--json'))).toMatchObject({ updated: 1 });
    expect((await find(id))!.passwordHash).toBe(customer.passwordHash);
    expect((await server.app.grants.listForCustomer(customer.sub)).map((g) => g.grantId)).toEqual([grantId]);

    expect(okJson<Report>(await cli('user', 'import', file('new-pw.jsonl', jsonl([row(id, { password: 'another pw 2026' })])), '--update', '--json'))).toMatchObject({ updated: 1 });
    expect((await find(id))!.passwordHash).not.toBe(customer.passwordHash);
    expect(await server.app.grants.listForCustomer(customer.sub)).toEqual([]);
    expect(await server.provider.Grant.find(grantId)).toBeUndefined();
  });

  it('draws a bar with count, rate and ETA on a terminal', async () => {
    const stderr = Object.assign(new Collected(), { isTTY: true, columns: 100 });
    const stdout = new Collected();
    const stdin = new PassThrough();
    stdin.end('');
    const path = file('bar.csv', `login_id,user_number,question,password,answer\n${[1, 2, 3].map(() => `bar-${tag()},31415926,質問,import pw 2026,あお`).join('\n')}\n`);
    const status = await runCli(['user', 'import', path], { stdin, stdout, stderr, env: { RENKEI_ADMIN_URL: server.adminUrl, RENKEI_ADMIN_TOKEN: server.adminToken.token, HOME: scratchDir() }, cwd: scratchDir() });
    expect(status).toBe(0);
    expect(stderr.text).toMatch(/\r\[#{10,}\] 3\/3 100% {2}[\d,]+ rows\/s {2}ETA 0s\u001b\[K\n$/);
    expect(stderr.text).not.toContain('imported 3/3 rows');
    expect(stdout.text).toContain('created 3');
  });
});

describe('imported passlib hashes', () => {
  it('log in through the screens and are replaced by Argon2id at that login', async () => {
    const loginId = `legacy-${tag()}`;
    const secrets = { password: 'legacy password 2026', answer: 'あお', userNumber: '27182818' };
    const record = { login_id: loginId, user_number: secrets.userNumber, question: '好きな色は？', password_hash: passlibScrypt(secrets.password), answer_hash: passlibPbkdf2(secrets.answer) };
    okJson<Report>(await cli('user', 'import', file('legacy.jsonl', jsonl([record])), '--json'));
    const imported = (await find(loginId))!;
    expect(imported.passwordHash).toBe(record.password_hash);

    const journey = await completeJourney(server.issuer, client, { sub: imported.sub, loginId, question: '好きな色は？', ...secrets });
    expect(callbackParams(journey.end.url).get('code')).toBeTruthy();
    const upgraded = (await find(loginId))!;
    expect(upgraded.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(upgraded.answerHash).toMatch(/^\$argon2id\$/);
  });
});

describe('roles', () => {
  it('import needs an operator; an auditor may export', async () => {
    const auditor = okJson<{ token: string }>(await cli('admin', 'create', '--name', `audit-${tag()}`, '--role', 'auditor', '--json'));
    const asAuditor = (...args: string[]) => renkei(server, args, { env: { RENKEI_ADMIN_TOKEN: auditor.token } });
    const loginId = `role-${tag()}`;
    const refusedImport = await asAuditor('user', 'import', file('r.jsonl', jsonl([row(loginId)])));
    expect(refusedImport.status).toBe(1);
    expect(refusedImport.stderr).toMatch(/forbidden: POST \/admin\/v1\/users\/import needs the role operator/);
    expect(await find(loginId)).toBeUndefined();
    // written as checked, and refused: nothing was written, and running it again cannot help
    const refusedWriting = await asAuditor('user', 'import', file('r2.jsonl', jsonl([row(loginId)])), '--skip-invalid');
    expect(refusedWriting.status).toBe(1);
    expect(refusedWriting.stderr).toMatch(/forbidden: POST \/admin\/v1\/users\/import needs the role operator/);
    expect(refusedWriting.stderr).not.toContain('resume');
    expect((await asAuditor('user', 'export')).status).toBe(0);
  });
});

describe('renkei user export', () => {
  it('leaves an audit trail: an import names the customers it created and updated, an export each page of the directory it read', async () => {
    const [first, second] = [`audit-a-${tag()}`, `audit-b-${tag()}`];
    okJson<Report>(await cli('user', 'import', file('a.jsonl', jsonl([row(first)])), '--json'));
    okJson<Report>(await cli('user', 'import', file('b.jsonl', jsonl([row(first), row(second)])), '--update', '--json'));
    const imported = server.logs.events().filter((line) => line.event === 'user.imported' && JSON.stringify(line).includes(first));
    expect(imported.map((line) => [line.login_ids_created, line.login_ids_updated, line.actor])).toEqual([
      [[first], [], 'bootstrap'],
      [[second], [first], 'bootstrap'],
    ]);
    const listedBefore = server.logs.events().filter((line) => line.event === 'user.listed').length;
    expect((await cli('user', 'export')).status).toBe(0);
    const listed = server.logs.events().filter((line) => line.event === 'user.listed').slice(listedBefore);
    expect(listed.length).toBeGreaterThan(0);
    expect(listed[0]).toMatchObject({ audit: true, actor: 'bootstrap', actor_role: 'admin', include_accounts: true, count: expect.any(Number), outcome: 'success' });
  });

  it('writes the directory as JSON Lines without any secret', async () => {
    const loginId = `export-${tag()}`;
    okJson<Report>(await cli('user', 'import', file('e.jsonl', jsonl([row(loginId)])), '--json'));
    const result = await cli('user', 'export');
    expect(result.status).toBe(0);
    const users = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(users.find((user) => user.login_id === loginId)).toMatchObject({ name: '山田 太郎', status: 'active' });
    expect(result.stdout).not.toMatch(/argon2|password|answer|user_number|31415926/);
  });
});

afterAll(() => expectNoSecrets(transcript.map((r) => r.stdout + r.stderr), ['import pw 2026', 'legacy password 2026']));
