import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { completeJourney } from '../../support/journey.js';
import { createCustomer, registerClient, type TestClient } from '../../support/oauth-fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { expectNoSecrets, expectRefused, expectUsageError, okJson, renkei, runRenkei, terminalInput } from './cli-kit.js';

interface User {
  login_id: string;
  name: string;
}

let server: TestServer;
let client: TestClient;
beforeAll(async () => {
  server = await startTestServer();
  client = await registerClient(server);
});
afterAll(() => server.close());

const cli = (...args: string[]) => renkei(server, args);

const onTerminal = (args: string[], typed: string) =>
  runRenkei(args, { stdin: terminalInput(typed), env: { RENKEI_ADMIN_URL: server.adminUrl, RENKEI_ADMIN_TOKEN: server.adminToken.token } });

describe('renkei user update', () => {
  it('changes the name alone without touching the grants', async () => {
    const customer = await createCustomer(server);
    await completeJourney(server.issuer, client, customer);
    expect(await server.app.grants.listForCustomer(customer.sub)).toHaveLength(1);
    const result = await cli('user', 'update', customer.loginId, '--name', '山田 花子');
    expect(result.stdout).toMatch(/^updated user \S+\nlogin_id/);
    expect(result.stdout).not.toContain('revoked');
    expect(okJson<User>(await cli('user', 'show', customer.loginId, '--json')).name).toBe('山田 花子');
    expect(await server.app.grants.listForCustomer(customer.sub)).toHaveLength(1);
  });

  it('a new question and answer, or a new 利用者番号, from --secrets-stdin revokes every grant', async () => {
    const customer = await createCustomer(server);
    await completeJourney(server.issuer, client, customer);
    const answer = `みどり${Math.floor(Math.random() * 1000)}`;
    const updated = await renkei(server, ['user', 'update', customer.loginId, '--question', '母の旧姓は？', '--secrets-stdin'], { input: JSON.stringify({ answer }) });
    expect(updated.status).toBe(0);
    expect(updated.stdout).toContain('every grant they gave has been revoked');
    expect(await server.app.grants.listForCustomer(customer.sub)).toHaveLength(0);
    const record = (await server.app.customers.findBySub(customer.sub))!;
    expect(record.question).toBe('母の旧姓は？');
    expect(await server.app.customers.verifyAnswer(record, answer)).toBe(true);
    expect(await server.app.customers.verifyAnswer(record, customer.answer)).toBe(false);

    await completeJourney(server.issuer, client, { ...customer, answer });
    okJson<User>(await renkei(server, ['user', 'update', customer.loginId, '--secrets-stdin', '--json'], { input: '{"user_number": "2718281828"}' }));
    expect(await server.app.grants.listForCustomer(customer.sub)).toHaveLength(0);
    const renumbered = (await server.app.customers.findBySub(customer.sub))!;
    expect(server.app.customers.digitsMatch(renumbered, new Map([[1, '2'], [10, '8']]))).toBe(true);
    expect(renumbered.userNumberLength).toBe(10);
    // the revocations deep inside shared code name the staff member too
    const revocations = server.logs.events().filter((e) => e.event === 'grant.revoked' && e.sub === customer.sub);
    expect(revocations).toHaveLength(2);
    for (const revocation of revocations) expect(revocation).toMatchObject({ reason: 'credentials_changed', actor: 'bootstrap', actor_role: 'admin' });
    const events = server.logs.events().filter((e) => e.event === 'user.updated' && e.sub === customer.sub);
    expect(events.map((e) => e.fields)).toEqual([['answer', 'question'], ['user_number']]);
    expectNoSecrets([server.logs.text, updated.stdout, updated.stderr], [answer, '2718281828']);
  });

  it('refuses what the directory refuses (exit 1) and a new answer without its question (exit 2)', async () => {
    const customer = await createCustomer(server);
    expectRefused(await renkei(server, ['user', 'update', customer.loginId, '--secrets-stdin'], { input: '{"user_number": "12"}' }), /validation_failed: user number must be 4–16 digits/);
    expectUsageError(await renkei(server, ['user', 'update', customer.loginId, '--secrets-stdin'], { input: '{"answer": "あか"}' }), /a new answer needs its --question/);
    expectUsageError(await renkei(server, ['user', 'update', customer.loginId, '--question', 'q'], { input: '' }), /answer to the secret question needed/);
    expectRefused(await cli('user', 'update', 'nobody-here', '--name', 'x'), /not_found/);
  });

  it('asks for the new 利用者番号 at a hidden prompt on a terminal', async () => {
    const customer = await createCustomer(server);
    const result = await onTerminal(['user', 'update', customer.loginId, '--user-number'], '1618033988\r');
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('利用者番号 (user number) (not shown): \n');
    expect(result.stdout).not.toContain('1618033988');
    expect(server.app.customers.digitsMatch((await server.app.customers.findBySub(customer.sub))!, new Map([[1, '1'], [10, '8']]))).toBe(true);
  });
});

describe('renkei user create at a terminal', () => {
  it('asks for each secret, the password twice, and echoes none of them', async () => {
    const loginId = `tty-${randomUUID().slice(0, 8)}`;
    const password = `pw ${randomUUID().slice(0, 8)} 2026`;
    const typed = `3141592653\r${password}\rtypo in the repeat\r${password}\r${password}\rあお\r`;
    const result = await onTerminal(['user', 'create', '--login-id', loginId, '--question', '好きな色は？'], typed);
    expect(result.status).toBe(0);
    expect(result.stderr).toBe([
      '利用者番号 (user number) (not shown): ',
      'Password (not shown): ',
      'Password again: ',
      'renkei: the two passwords differ; try again',
      'Password (not shown): ',
      'Password again: ',
      'Answer to the secret question (not shown): ',
      '',
    ].join('\n'));
    expectNoSecrets([result.stdout, result.stderr], [password, '3141592653', 'あお']);
    const customer = (await server.app.customers.findByLoginId(loginId))!;
    expect(await server.app.customers.verifyPassword(customer, password)).toBe(true);
  });
});

describe('renkei user list (paged)', () => {
  it('pages through a search in login-ID order with --limit and --cursor', async () => {
    const prefix = `pg${randomUUID().slice(0, 6)}`;
    const ids = ['e', 'a', 'd', 'c', 'b'].map((suffix) => `${prefix}-${suffix}`);
    for (const loginId of ids) await createCustomer(server, { loginId });
    await cli('user', 'update', ids[0]!, '--name', `${prefix}の山田`);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { users: User[]; next_cursor: string | null } = okJson(await cli('user', 'list', '--query', prefix.toUpperCase(), '--limit', '2', '--json', ...(cursor ? ['--cursor', cursor] : [])));
      expect(page.users.length).toBeLessThanOrEqual(2);
      seen.push(...page.users.map((u) => u.login_id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toEqual([...ids].sort());

    const byName = okJson<{ users: User[] }>(await cli('user', 'list', '--query', `${prefix}の山田`, '--json'));
    expect(byName.users.map((u) => u.login_id)).toEqual([ids[0]]);

    const human = await cli('user', 'list', '--query', prefix, '--limit', '3');
    expect(human.stdout).toMatch(new RegExp(`^more: renkei user list --query '${prefix}' --limit 3 --cursor [A-Za-z0-9_-]+$`, 'm'));
    expect(human.stdout).toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+09:00/);
    expect((await cli('user', 'list', '--query', 'no-such-customer-anywhere')).stdout).toBe('no users match "no-such-customer-anywhere"\n');
    expectRefused(await cli('user', 'list', '--cursor', '***'), /validation_failed: \/cursor must be a cursor from a previous page/);
    // the admin API says in words what a query parameter takes
    const tooMany = await fetch(`${server.adminUrl}/admin/v1/users?limit=5000`, { headers: { authorization: `Bearer ${server.adminToken.token}` } });
    expect([tooMany.status, ((await tooMany.json()) as { message: string }).message]).toEqual([400, '/limit must be a whole number from 1 to 1000']);
    // the right alphabet, but no cursor this API gave: refused, not read as "no more customers"
    for (const cursor of ['garbage', 'A', '_w']) expectRefused(await cli('user', 'list', '--cursor', cursor), /validation_failed: \/cursor is not a cursor from a previous page/);
  });
});
