import { readFileSync, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { expectNoSecrets, expectRefused, okJson, runRenkei, scratchDir, transcript, type CliOptions } from './cli-kit.js';

interface Staff {
  name: string;
  role: string;
  created_at: string;
  created_by: string;
  expires_at: string | null;
  last_used_at: string | null;
  token?: string;
}

let server: TestServer;
let second: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  // a second instance on the same Redis: what one revokes, the other refuses at once
  second = await startTestServer();
});
afterAll(async () => {
  await server.close();
  await second.close();
});

/** The bootstrap admin (RENKEI_ADMIN_TOKEN). */
const bootstrap = (...args: string[]) => runRenkei(args, { env: { RENKEI_ADMIN_URL: server.adminUrl, RENKEI_ADMIN_TOKEN: server.adminToken.token } });

/** A staff member at their own desk: their own HOME, only what `renkei login` stored. */
function desk() {
  const home = scratchDir();
  return (args: string[], options: CliOptions = {}) => runRenkei(args, { ...options, env: { HOME: home, ...options.env } });
}

const unique = (prefix: string) => `${prefix}-${Math.random().toString(36).slice(2, 8)}`;
const auditEvents = () => server.logs.events().filter((e) => e.audit === true);

describe('named staff credentials and roles', () => {
  const operatorName = unique('sato');
  const auditorName = unique('suzuki');
  const operatorDesk = desk();
  const auditorDesk = desk();
  let operator: Staff;
  let auditor: Staff;

  it('an admin issues credentials, each printed once, stored only hashed', async () => {
    operator = okJson<Staff>(await bootstrap('admin', 'create', '--name', operatorName, '--role', 'operator', '--json'));
    auditor = okJson<Staff>(await bootstrap('admin', 'create', '--name', auditorName, '--role', 'auditor', '--expires-days', '30', '--json'));
    expect(operator).toMatchObject({ name: operatorName, role: 'operator', created_by: 'bootstrap', expires_at: null, last_used_at: null });
    expect(operator.token).toMatch(/^rks_[A-Za-z0-9_-]{43}$/);
    expect(Date.parse(auditor.expires_at!) - Date.parse(auditor.created_at)).toBe(30 * 86_400_000);
    const stored = JSON.stringify(await server.store.kv.hashGetAll('renkei:{staff}:members'));
    expect(stored).toContain(operatorName);
    expect(stored).not.toContain(operator.token);
    expectRefused(await bootstrap('admin', 'create', '--name', operatorName, '--role', 'auditor'), /conflict: staff member .* already exists/);
    expectRefused(await bootstrap('admin', 'create', '--name', 'bootstrap', '--role', 'admin'), /"bootstrap" names RENKEI_ADMIN_TOKEN/);
  });

  it('each logs in once: the credential is checked against the server and kept 0600 for that server', async () => {
    const login = await operatorDesk(['login', '--url', server.adminUrl], { input: `${operator.token}\n` });
    expect({ status: login.status, stderr: login.stderr }).toEqual({ status: 0, stderr: '' });
    expect(login.stdout).toMatch(new RegExp(`^logged in to ${server.adminUrl} as ${operatorName} \\(operator\\); the credential is kept in (\\S+credentials.json)$`, 'm'));
    const file = /kept in (\S+)$/m.exec(login.stdout)![1]!;
    expect(file).toMatch(/\/\.config\/renkei\/credentials\.json$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ default_url: server.adminUrl, servers: { [server.adminUrl]: { token: operator.token, name: operatorName, role: 'operator' } } });
    expect(okJson<{ role: string }>(await auditorDesk(['login', '--url', server.adminUrl, '--json'], { input: auditor.token! })).role).toBe('auditor');

    const wrong = await desk()(['login', '--url', server.adminUrl], { input: 'rks_not-a-credential-at-all-0123456789\n' });
    expectRefused(wrong, /unauthorized: a valid admin bearer token is required/);
    expect(wrong.stderr).toContain('  the credential you typed is not (or no longer) valid on this server');
  });

  it('the operator creates a client; the auditor lists it but is refused create (403, exit 1, naming the role)', async () => {
    const client = okJson<{ client_id: string }>(await operatorDesk(['client', 'create', '--name', '家計簿', '--redirect-uri', 'https://kakeibo.example/cb', '--json']));
    const listed = okJson<{ client_id: string }[]>(await auditorDesk(['client', 'list', '--json']));
    expect(listed.map((c) => c.client_id)).toContain(client.client_id);
    const refused = await auditorDesk(['client', 'create', '--name', 'x', '--redirect-uri', 'https://x.example/cb']);
    expectRefused(refused, new RegExp(`^renkei: forbidden: POST /admin/v1/clients needs the role operator or admin; ${auditorName} has the role auditor$`, 'm'));
    const raw = await fetch(`${server.adminUrl}/admin/v1/clients/${client.client_id}/disable`, { method: 'POST', headers: { authorization: `Bearer ${auditor.token}` } });
    expect(raw.status).toBe(403);
    expect(await raw.json()).toEqual({ error: 'forbidden', message: `POST /admin/v1/clients/${client.client_id}/disable needs the role operator or admin; ${auditorName} has the role auditor`, details: [] });
    expectRefused(await operatorDesk(['admin', 'create', '--name', unique('x'), '--role', 'admin']), /forbidden: POST \/admin\/v1\/staff needs the role admin; .* has the role operator/);
    expectRefused(await operatorDesk(['keys', 'rotate']), /needs the role admin/);
    expect(okJson<unknown[]>(await auditorDesk(['keys', 'list', '--json'])).length).toBeGreaterThan(0);

    const metrics = await fetch(`${server.adminUrl}/metrics`, { headers: { authorization: `Bearer ${auditor.token}` } });
    expect(metrics.status).toBe(200);

    const events = auditEvents();
    expect(events.find((e) => e.event === 'client.created' && e.client_id === client.client_id)).toMatchObject({ actor: operatorName, actor_role: 'operator', outcome: 'success' });
    expect(events.find((e) => e.event === 'admin.request_refused' && e.actor === auditorName)).toMatchObject({ actor_role: 'auditor', status: 403, error: 'forbidden', outcome: 'refused' });
    // what was attempted, on which partner
    expect(events.filter((e) => e.event === 'admin.request_refused' && e.actor === auditorName).map((e) => `${String(e.method)} ${String(e.path)}`))
      .toContain(`POST /admin/v1/clients/${client.client_id}/disable`);
    expect(events.find((e) => e.event === 'admin.staff_created' && e.staff_name === operatorName)).toMatchObject({ actor: 'bootstrap', actor_role: 'admin', staff_role: 'operator' });
  });

  it('admin list shows name, role, dates and last use in Japan time, never a credential', async () => {
    const human = await bootstrap('admin', 'list');
    expect(human.status).toBe(0);
    expect(human.stdout).toMatch(/^NAME\s+ROLE\s+STATUS\s+CREATED_AT\s+CREATED_BY\s+EXPIRES_AT\s+LAST_USED_AT$/m);
    expect(human.stdout).toMatch(new RegExp(`^${operatorName}\\s+operator\\s+active\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\+09:00\\s+bootstrap\\s+never\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\+09:00$`, 'm'));
    const listed = okJson<Staff[]>(await bootstrap('admin', 'list', '--json'));
    const mine = listed.find((s) => s.name === auditorName)!;
    expect(Object.keys(mine).sort()).toEqual(['created_at', 'created_by', 'expires_at', 'last_used_at', 'name', 'role']);
    expect(Date.parse(mine.last_used_at!)).toBeGreaterThan(Date.parse(mine.created_at) - 1);
  });

  it('a revoked credential is refused at once, on this instance and on another', async () => {
    const other = `${second.adminUrl}/admin/v1/clients`;
    expect((await fetch(other, { headers: { authorization: `Bearer ${operator.token}` } })).status).toBe(200);
    const revoked = await bootstrap('admin', 'revoke', operatorName);
    expect(revoked.stdout).toBe(`revoked the credential of ${operatorName}; it is refused from now on\n`);
    const next = await operatorDesk(['client', 'list']);
    expectRefused(next, /unauthorized: a valid admin bearer token is required/);
    expect(next.stderr).toContain('the credential from `renkei login` is not (or no longer) valid on this server');
    expect((await fetch(other, { headers: { authorization: `Bearer ${operator.token}` } })).status).toBe(401);
    expect((await fetch(`${server.adminUrl}/metrics`, { headers: { authorization: `Bearer ${operator.token}` } })).status).toBe(401);
    expect(auditEvents().find((e) => e.event === 'admin.staff_revoked' && e.staff_name === operatorName)).toMatchObject({ actor: 'bootstrap', actor_role: 'admin' });
    expectRefused(await bootstrap('admin', 'revoke', operatorName), /not_found: staff member .* not found/);
  });

  it('never prints a credential except at its creation, nor logs one', () => {
    const tokens = [operator.token!, auditor.token!];
    const printed = (token: string) => transcript.filter((r) => r.stdout.includes(token) || r.stderr.includes(token)).length;
    expect(tokens.map(printed)).toEqual([1, 1]);
    expectNoSecrets([server.logs.text, second.logs.text], tokens);
  });
});
