import { randomInt, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { callbackParams } from '../../support/browserless.js';
import { completeJourney } from '../../support/journey.js';
import { registerClient, type TestClient, type TestCustomer } from '../../support/oauth-fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { expectNoSecrets, expectRefused, expectUsageError, okJson, renkei, transcript } from './cli-kit.js';

interface User {
  login_id: string;
  sub: string;
  name: string;
  status: 'active' | 'locked';
  failures: number;
  created_at: string;
  last_login_at: string | null;
}

let server: TestServer;
let client: TestClient;
/** every password, answer and 利用者番号 these tests gave the CLI */
const secrets = new Set<string>();

beforeAll(async () => {
  server = await startTestServer();
  client = await registerClient(server);
});
afterAll(() => server.close());

const cli = (...args: string[]) => renkei(server, args);

/** Distinct secrets per customer, so that finding one anywhere is meaningful. */
function newCustomer(): Omit<TestCustomer, 'sub'> {
  const digits = (count: number) => Array.from({ length: count }, () => randomInt(10)).join('');
  const customer = {
    loginId: `cli-${randomUUID().slice(0, 8)}`,
    password: `pw ${randomUUID().slice(0, 13)} 2026`,
    userNumber: `9${digits(9)}`,
    question: '好きな色は？',
    answer: `あお${digits(4)}`,
  };
  for (const secret of [customer.password, customer.userNumber, customer.answer]) secrets.add(secret);
  return customer;
}

async function createUser(customer = newCustomer(), ...extra: string[]): Promise<TestCustomer & { user: User }> {
  const result = await renkei(
    server,
    ['user', 'create', '--login-id', customer.loginId, '--question', customer.question, '--secrets-stdin', '--json', ...extra],
    { input: JSON.stringify({ password: customer.password, answer: customer.answer, user_number: customer.userNumber }) },
  );
  const user = okJson<User>(result);
  return { ...customer, sub: user.sub, user };
}

describe('renkei user create', () => {
  it('registers a customer who can then authenticate, the secrets read as JSON from stdin (--secrets-stdin)', async () => {
    const customer = await createUser(newCustomer(), '--name', '山田 太郎');
    expect(customer.user).toMatchObject({ login_id: customer.loginId, name: '山田 太郎', status: 'active', failures: 0, last_login_at: null });
    expect(customer.user.sub).toMatch(/^[0-9a-f-]{36}$/);

    const journey = await completeJourney(server.issuer, client, customer);
    expect(callbackParams(journey.end.url).get('code')).toBeTruthy();
  });

  it('takes the secrets from flags too (warning that they are visible), and prints the customer in human form', async () => {
    const customer = newCustomer();
    const result = await cli('user', 'create', '--login-id', customer.loginId, '--user-number', customer.userNumber, '--password', customer.password, '--question', customer.question, '--answer', customer.answer);
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('warning: --password, --answer, --user-number are visible in the process list');
    expect(result.stdout).toContain(`created user ${customer.loginId}`);
    expect(result.stdout).toMatch(/status\s+active/);
    const user = okJson<User>(await cli('user', 'show', customer.loginId, '--json'));
    expect(await server.app.customers.verifyPassword((await server.app.customers.findBySub(user.sub))!, customer.password)).toBe(true);
  });

  it.each([
    ['a 利用者番号 with non-digits', { userNumber: '31415x9265' }, /user number must be 4–16 digits/],
    ['a 利用者番号 too short', { userNumber: '123' }, /user number must be 4–16 digits/],
    ['a short password', { password: 'short' }, /password must be at least 8 printable characters/],
    ['an answer with symbols', { answer: 'blue!?' }, /secret answer must be 1–16 alphanumerics or kana/],
    ['a login ID with a control character', { loginId: 'bad\u0007id' }, /login ID must be 1–64 printable characters/],
    ['the login ID "．．" (NFKC: "..")', { loginId: '．．' }, /login ID must be 1–64 printable characters, not \. or \.\. alone/],
  ])('refuses %s (exit 1) without echoing it', async (_what, override, message) => {
    const customer = { ...newCustomer(), ...override };
    const result = await renkei(
      server,
      ['user', 'create', '--login-id', customer.loginId, '--user-number', customer.userNumber, '--password-stdin', '--question', customer.question, '--answer', customer.answer],
      { input: `${customer.password}\n` },
    );
    expectRefused(result, message);
    expectNoSecrets([result.stderr], [customer.password, customer.userNumber, customer.answer]);
    expectRefused(await cli('user', 'show', customer.loginId), /not_found/);
  });

  it('refuses a login ID that is already registered, in any case or width (exit 1, conflict)', async () => {
    const first = await createUser();
    const again = { ...newCustomer(), loginId: first.loginId.toUpperCase() };
    const result = await renkei(
      server,
      ['user', 'create', '--login-id', again.loginId, '--user-number', again.userNumber, '--password-stdin', '--question', 'q', '--answer', again.answer],
      { input: again.password },
    );
    expectRefused(result, new RegExp(`^renkei: conflict: login ID ${first.loginId} is already registered`, 'm'));
  });

  it.each([
    ['no --login-id', ['--secrets-stdin', '--question', 'q'], /--login-id is required/],
    ['no --question', ['--login-id', 'x', '--secrets-stdin'], /--question is required/],
    ['no secrets off a terminal', ['--login-id', 'x', '--question', 'q'], /利用者番号 \(user number\), password, answer to the secret question needed: give --secrets-stdin/],
    ['a secret missing from a flag', ['--login-id', 'x', '--question', 'q', '--user-number', '1234', '--password-stdin'], /answer to the secret question needed/],
    ['both password flags', ['--login-id', 'x', '--user-number', '1234', '--password', 'p4ssw0rd!', '--password-stdin', '--question', 'q', '--answer', 'a'], /give --password or --password-stdin, not both/],
    ['both stdin flags', ['--login-id', 'x', '--secrets-stdin', '--password-stdin', '--question', 'q'], /give --secrets-stdin or --password-stdin, not both/],
    ['a value for --secrets-stdin', ['--login-id', 'x', '--secrets-stdin=yes', '--question', 'q'], /--secrets-stdin takes no value/],
    ['an unknown flag', ['--login-id', 'x', '--pin', '1234'], /^renkei: unknown flag --pin$/m],
    ['a mistyped flag', ['--login-ld', 'x'], /unknown flag --login-ld; did you mean --login-id\?/],
  ])('is a usage error with %s (exit 2, two lines)', async (_what, flags, message) => {
    const result = await renkei(server, ['user', 'create', ...flags], { input: 'p4ssw0rd-not-used\n' });
    expectUsageError(result, message, 'Run `renkei user create --help` for its options and examples.');
    expect(result.stderr).not.toContain('p4ssw0rd');
  });

  it('refuses secrets on stdin that are not JSON, naming the line and column, and never echoing them', async () => {
    const customer = newCustomer();
    const broken = await renkei(server, ['user', 'create', '--login-id', customer.loginId, '--question', 'q', '--secrets-stdin'], { input: `{\n  "password": "${customer.password}",\n  "answer": "${customer.answer}"\n  "user_number": "${customer.userNumber}"\n}` });
    expectRefused(broken, /^renkei: cannot use --secrets-stdin: not valid JSON at line 4, column 3$/m);
    const unknown = await renkei(server, ['user', 'create', '--login-id', customer.loginId, '--question', 'q', '--secrets-stdin'], { input: JSON.stringify({ password: customer.password, pin: '1234' }) });
    expectRefused(unknown, /"pin" is not one of "password", "answer", "user_number"/);
    expectUsageError(await renkei(server, ['user', 'create', '--login-id', customer.loginId, '--question', 'q', '--secrets-stdin'], { input: JSON.stringify({ password: customer.password }) }), /needed: give --secrets-stdin with "user_number", "answer"/);
    expectRefused(await cli('user', 'show', customer.loginId), /not_found/);
  });
});

describe('renkei user list | show | lock | unlock | set-password | delete', () => {
  it('lists and shows customers, never a secret', async () => {
    const customer = await createUser();
    const list = await cli('user', 'list');
    expect(list.status).toBe(0);
    expect(list.stdout).toMatch(/^LOGIN_ID\s+NAME\s+STATUS\s+FAILURES/);
    expect(list.stdout).toMatch(new RegExp(`^${customer.loginId}\\s+${customer.loginId}\\s+active\\s+0\\s`, 'm'));
    const listed = okJson<{ users: User[]; next_cursor: string | null }>(await cli('user', 'list', '--json', '--limit', '1000')).users;
    expect(listed.find((u) => u.login_id === customer.loginId)).toEqual(customer.user);
    expect(Object.keys(listed[0]!).sort()).toEqual(['created_at', 'failures', 'last_login_at', 'login_id', 'name', 'status', 'sub']);

    const shown = await cli('user', 'show', customer.loginId.toUpperCase());
    expect(shown.status).toBe(0);
    expect(shown.stdout).toMatch(new RegExp(`^sub\\s+${customer.sub}$`, 'm'));
    expect(okJson<User>(await cli('user', 'show', customer.loginId, '--json'))).toEqual(customer.user);
  });

  it('locks and unlocks an account', async () => {
    const customer = await createUser();
    const locked = await cli('user', 'lock', customer.loginId);
    expect(locked.status).toBe(0);
    expect(locked.stdout).toContain(`locked user ${customer.loginId}`);
    expect(okJson<User>(await cli('user', 'show', customer.loginId, '--json')).status).toBe('locked');
    expect((await server.app.customers.findBySub(customer.sub))!.status).toBe('locked');

    const unlocked = okJson<User>(await cli('user', 'unlock', customer.loginId, '--json'));
    expect(unlocked).toMatchObject({ login_id: customer.loginId, status: 'active', failures: 0 });
    const journey = await completeJourney(server.issuer, client, customer);
    expect(callbackParams(journey.end.url).get('code')).toBeTruthy();
  });

  it('sets a password from stdin (by default and with --password-stdin); the old one stops working', async () => {
    const customer = await createUser();
    const next = `new ${randomUUID().slice(0, 8)} pass`;
    secrets.add(next);
    const result = await renkei(server, ['user', 'set-password', customer.loginId], { input: `${next}\n` });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`set the password of ${customer.loginId}`);
    const record = (await server.app.customers.findBySub(customer.sub))!;
    expect(await server.app.customers.verifyPassword(record, next)).toBe(true);
    expect(await server.app.customers.verifyPassword(record, customer.password)).toBe(false);

    const third = `third ${randomUUID().slice(0, 8)} pass`;
    secrets.add(third);
    okJson<User>(await renkei(server, ['user', 'set-password', customer.loginId, '--password-stdin', '--json'], { input: `${third}\r\n` }));
    expect(await server.app.customers.verifyPassword((await server.app.customers.findBySub(customer.sub))!, third)).toBe(true);

    expectRefused(await renkei(server, ['user', 'set-password', customer.loginId], { input: 'short\n' }), /password must be at least 8 printable characters/);
    expectUsageError(await renkei(server, ['user', 'set-password', customer.loginId], { input: '' }), /no password on stdin/);
    expectUsageError(await renkei(server, ['user', 'set-password'], { input: 'whatever-pass\n' }), /missing LOGIN_ID/);
    const fourth = `fourth ${randomUUID().slice(0, 8)} pass`;
    secrets.add(fourth);
    okJson<User>(await renkei(server, ['user', 'set-password', customer.loginId, '--secrets-stdin', '--json'], { input: JSON.stringify({ password: fourth }) }));
    expect(await server.app.customers.verifyPassword((await server.app.customers.findBySub(customer.sub))!, fourth)).toBe(true);
  });

  it('deletes a customer', async () => {
    const customer = await createUser();
    expect(okJson<unknown>(await cli('user', 'delete', customer.loginId, '--json'))).toEqual({ login_id: customer.loginId, deleted: true });
    expectRefused(await cli('user', 'show', customer.loginId), /not_found: user .* not found/);
    expect(await server.app.customers.findBySub(customer.sub)).toBeUndefined();
    // the login ID is free again
    await createUser({ ...newCustomer(), loginId: customer.loginId });
    const human = await cli('user', 'delete', customer.loginId);
    expect(human.stdout).toContain(`deleted user ${customer.loginId}`);
  });

  it('refuses unknown login IDs (exit 1) and reports usage errors (exit 2)', async () => {
    for (const action of ['show', 'lock', 'unlock', 'delete']) {
      expectRefused(await cli('user', action, 'nobody-here'), /^renkei: not_found: user nobody-here not found$/m);
    }
    expectRefused(await renkei(server, ['user', 'set-password', 'nobody-here'], { input: 'long enough pass\n' }), /not_found/);
    expectUsageError(await cli('user', 'lock'), /missing LOGIN_ID/, 'Run `renkei user lock --help`');
    expectUsageError(await cli('user', 'show', 'a', 'b'), /too many arguments: b/);
    expectUsageError(await cli('user', 'list', '--all'), /unknown flag --all/);
    expectUsageError(await cli('user', 'rename', 'x'), /unknown command "user rename"/, 'Run `renkei user --help` for its commands.');
    expectUsageError(await cli('user', 'updte', 'x'), /unknown command "user updte"; did you mean "user update"\?/);
  });

  it('never prints nor logs a password, answer or 利用者番号', () => {
    expect(secrets.size).toBeGreaterThan(20);
    expectNoSecrets(transcript.flatMap((r) => [r.stdout, r.stderr]), [...secrets]);
    expectNoSecrets([server.logs.text], [...secrets]);
  });
});
