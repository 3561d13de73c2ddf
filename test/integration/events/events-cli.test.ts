import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { createCustomer, registerClient, type TestClient } from '../../support/oauth-fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { renkei } from '../cli/cli-kit.js';
import { EventReceiver } from './event-receiver.js';
import { fastEventsConfig, isolatedRedis, SESSION_REVOKED, VERIFICATION } from './events-kit.js';

let server: TestServer;
let client: TestClient;
let receiver: EventReceiver;
let redis: Awaited<ReturnType<typeof isolatedRedis>>;
beforeAll(async () => {
  redis = await isolatedRedis();
  server = await startTestServer({ config: fastEventsConfig(), env: { RENKEI_REDIS_URL: redis.url } });
  client = await registerClient(server);
  receiver = await new EventReceiver(server.issuer, client.clientId).start();
});
afterAll(async () => {
  await receiver.close();
  await server.close();
  await redis.stop();
});

interface Row { jti: string; client_id: string; type: string; status: string; attempts: number; last_error: string | null }
const json = <T>(result: { status: number | null; stdout: string; stderr: string }): T => {
  expect([result.status, result.stderr]).toEqual([0, '']);
  return JSON.parse(result.stdout) as T;
};

describe('renkei client update --events-endpoint, renkei events list / retry / verify', () => {
  it('sets up the stream from the CLI (Authorization stored sealed, never shown) and sends a verification event', async () => {
    const setUp = await renkei(server, ['client', 'update', client.clientId, '--events-endpoint', receiver.url, '--events-authorization', 'Bearer cli-secret-123', '--events', 'session-revoked', '--json']);
    // a secret on argv: warned about, never repeated
    expect(setUp.stderr).toBe('renkei: warning: --events-authorization is visible in the process list and shell history; prefer renkei client apply with a file only you can read\n');
    const updated = JSON.parse(setUp.stdout) as Record<string, unknown>;
    expect(setUp.status).toBe(0);
    expect(updated).toMatchObject({ events_endpoint: receiver.url, events_requested: [SESSION_REVOKED], events_authorization_set: true });
    expect(JSON.stringify(updated)).not.toContain('cli-secret-123');
    expect(JSON.stringify(await server.store.adapterFactory('Client').find(client.clientId))).not.toContain('cli-secret-123');
    await receiver.waitFor(() => receiver.of(VERIFICATION).length === 1);
    expect(receiver.of(VERIFICATION)[0]!.authorization).toBe('Bearer cli-secret-123');
    // received is not yet recorded as delivered: on a busy machine the receiver's answer can come
    // after the delivery timeout and the event is sent again; the next test must not find it due
    let rows: Row[] = [];
    for (let i = 0; i < 100 && !(rows.length && rows.every((r) => r.status === 'delivered')); i++) {
      if (i) await new Promise((r) => setTimeout(r, 50));
      rows = json<Row[]>(await renkei(server, ['events', 'list', '--client', client.clientId, '--json']));
    }
    expect(rows.map((r) => [r.type, r.status])).toEqual([[VERIFICATION, 'delivered']]);

    const refused = await renkei(server, ['client', 'update', client.clientId, '--events-endpoint', 'ftp://partner.example/events']);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain('events_endpoint must be an https URL');
  });

  it('lists events, lists the failed ones, and retries a dead-lettered one until it is delivered once', async () => {
    receiver.mode = 'reject';
    const customer = await createCustomer(server);
    const grantId = randomUUID();
    await server.app.events.sessionRevoked(customer.sub, { clientId: client.clientId, grantId }, 'admin');
    let failed: Row[] = [];
    for (let i = 0; i < 200 && !failed.length; i++) {
      failed = json<Row[]>(await renkei(server, ['events', 'list', '--client', client.clientId, '--failed', '--json']));
      if (!failed.length) await new Promise((r) => setTimeout(r, 25));
    }
    expect(failed).toEqual([expect.objectContaining({ client_id: client.clientId, type: SESSION_REVOKED, status: 'dead', attempts: 1, last_error: 'rejected: invalid_request' })]);
    const all = json<Row[]>(await renkei(server, ['events', 'list', '--json']));
    expect(all.filter((r) => r.client_id === client.clientId).map((r) => r.status).sort()).toEqual(['dead', 'delivered']);
    const human = await renkei(server, ['events', 'list', '--client', client.clientId]);
    expect(human.stdout).toContain(failed[0]!.jti);
    expect(human.stdout).toContain('session-revoked');

    receiver.mode = 'accept';
    const retried = json<{ result: string }>(await renkei(server, ['events', 'retry', failed[0]!.jti, '--json']));
    expect(retried.result).toBe('requeued');
    await receiver.waitFor(() => receiver.of(SESSION_REVOKED).length === 1);
    expect(receiver.of(SESSION_REVOKED)[0]!.payload.jti).toBe(failed[0]!.jti);
    expect(json<Row[]>(await renkei(server, ['events', 'list', '--client', client.clientId, '--failed', '--json']))).toEqual([]);

    const unknown = await renkei(server, ['events', 'retry', 'no-such-event']);
    expect(unknown.status).not.toBe(0);
    expect(unknown.stderr).toMatch(/not found/);
    const mistyped = await renkei(server, ['events', 'list', '--client', `${client.clientId}x`]);
    expect([mistyped.status, mistyped.stdout]).toEqual([1, '']);
    expect(mistyped.stderr).toContain(`not_found: client ${client.clientId}x not found`);
  });

  it('sends a verification event with a state on request; an auditor may list but not retry', async () => {
    const verify = json<{ jti: string }>(await renkei(server, ['events', 'verify', client.clientId, '--state', 'check-42', '--json']));
    await receiver.waitFor(() => receiver.accepted.some((s) => s.payload.jti === verify.jti));
    expect(receiver.accepted.find((s) => s.payload.jti === verify.jti)!.payload.events[VERIFICATION]).toEqual({ state: 'check-42' });

    const auditor = json<{ token: string }>(await renkei(server, ['admin', 'create', '--name', `audit-${randomUUID().slice(0, 6)}`, '--role', 'auditor', '--json']));
    const asAuditor = { env: { RENKEI_ADMIN_TOKEN: auditor.token } };
    expect((await renkei(server, ['events', 'list', '--json'], asAuditor)).status).toBe(0);
    const refused = await renkei(server, ['events', 'retry', verify.jti], asAuditor);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/operator/);
  });

  it('--no-events-endpoint stops the events: nothing more is queued for the partner', async () => {
    const updated = json<Record<string, unknown>>(await renkei(server, ['client', 'update', client.clientId, '--no-events-endpoint', '--json']));
    expect(updated).not.toHaveProperty('events_endpoint');
    expect(updated).not.toHaveProperty('events_authorization_set');
    const before = await server.app.eventOutbox.list(client.clientId);
    await server.app.events.sessionRevoked((await createCustomer(server)).sub, { clientId: client.clientId, grantId: randomUUID() }, 'admin');
    expect(await server.app.eventOutbox.list(client.clientId)).toEqual(before);
  });
});
