import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { StaffDirectory } from '../../../src/admin/staff/staff-directory.js';
import { requiredRole } from '../../../src/admin/access-policy.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const DAY = 86_400_000;

describe('staff credentials in the store', () => {
  it('expire after --expires-days (injected clock) and record their last use', async () => {
    let now = Date.parse('2026-04-01T00:00:00Z');
    const staff = new StaffDirectory(server.store.kv, () => now);
    const name = `temp-${Math.random().toString(36).slice(2, 8)}`;
    const { token } = await staff.create({ name, role: 'auditor', expiresDays: 2, createdBy: 'bootstrap' });
    expect(await staff.authenticate(token)).toEqual({ name, role: 'auditor' });
    now += 2 * DAY - 1;
    expect(await staff.authenticate(token)).toEqual({ name, role: 'auditor' });
    expect((await staff.list()).find((s) => s.name === name)).toMatchObject({ lastUsedAt: now, expiresAt: Date.parse('2026-04-03T00:00:00Z') });
    now += 1;
    expect(await staff.authenticate(token)).toBeUndefined();
    expect(await staff.authenticate(`${token}x`)).toBeUndefined();
    expect(await staff.authenticate('not-a-staff-token')).toBeUndefined();
    await staff.revoke(name);
  });

  it('refuses names that are not plain identifiers', async () => {
    const staff = new StaffDirectory(server.store.kv);
    await expect(staff.create({ name: 'has space', role: 'admin', createdBy: 'bootstrap' })).rejects.toMatchObject({ code: 'staff.invalid_name' });
    const response = await fetch(`${server.adminUrl}/admin/v1/staff`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.adminToken.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x', role: 'root' }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { details: { path: string }[] }).details.map((d) => d.path)).toEqual(['/role']);
  });
});

describe('the access policy (one table: area → role that may change it)', () => {
  it.each([
    ['GET', '/clients', 'auditor'],
    ['GET', '/staff', 'auditor'],
    ['GET', '/keys', 'auditor'],
    ['POST', '/clients', 'operator'],
    ['PATCH', '/users/yamada01', 'operator'],
    ['POST', '/grants/revoke', 'operator'],
    ['POST', '/events/e-1/retry', 'operator'],
    ['POST', '/keys/rotate', 'admin'],
    ['DELETE', '/staff/sato', 'admin'],
    ['POST', '/anything-new', 'admin'],
    ['POST', '/clientsx', 'admin'],
  ])('%s %s needs %s', (method, path, role) => {
    expect(requiredRole(method, path)).toBe(role);
  });
});
