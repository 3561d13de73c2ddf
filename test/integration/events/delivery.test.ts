import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { createCustomer, registerClient, type TestClient } from '../../support/oauth-fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { EventReceiver, type ReceivedSet } from './event-receiver.js';
import { CREDENTIAL_CHANGE, fastEventsConfig, isolatedRedis, SESSION_REVOKED, subscribe, VERIFICATION } from './events-kit.js';

let redis: Awaited<ReturnType<typeof isolatedRedis>>;
beforeAll(async () => {
  redis = await isolatedRedis();
});
afterAll(() => redis.stop());

const grantOf = (set: ReceivedSet) => (set.payload.sub_id as { session?: { id: string } }).session?.id;

/** Queues, for each of n grants, a credential-change then a session-revoked (as a password change does). */
async function queueGrantEvents(server: TestServer, client: TestClient, n: number): Promise<string[]> {
  const customer = await createCustomer(server);
  const grantIds = Array.from({ length: n }, () => randomUUID());
  for (const grantId of grantIds) {
    await server.app.events.credentialChanged(customer.sub, [{ clientId: client.clientId, grantId }], 'password');
    await server.app.events.sessionRevoked(customer.sub, { clientId: client.clientId, grantId }, 'password_changed');
  }
  return grantIds;
}

function expectOncePerJtiInOrder(receiver: EventReceiver, grantIds: readonly string[]): void {
  const jtis = receiver.accepted.map((s) => s.payload.jti);
  expect(new Set(jtis).size).toBe(jtis.length);
  for (const grantId of grantIds) {
    expect(receiver.accepted.filter((s) => grantOf(s) === grantId).map((s) => Object.keys(s.payload.events)[0])).toEqual([CREDENTIAL_CHANGE, SESSION_REVOKED]);
  }
}

describe('durable delivery (RFC 8935 push with retries)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ config: fastEventsConfig({ timeoutMs: 1000 }), env: { RENKEI_REDIS_URL: redis.url } });
  });
  afterAll(() => server.close());

  it('a receiver failing with 500s, then timing out, then recovering gets every event once, in order per grant', async () => {
    const client = await registerClient(server);
    const receiver = await new EventReceiver(server.issuer, client.clientId).start();
    try {
      receiver.mode = 'fail';
      await subscribe(server, client, receiver.url);
      const grantIds = await queueGrantEvents(server, client, 5);
      await waitUntil(() => receiver.attempts >= 3);
      receiver.mode = 'hang';
      const hangsFrom = receiver.attempts;
      await waitUntil(() => receiver.attempts >= hangsFrom + 2);
      receiver.mode = 'accept';
      await receiver.waitFor((sets) => sets.length === 11);
      expect(receiver.of(VERIFICATION)).toHaveLength(1);
      expectOncePerJtiInOrder(receiver, grantIds);
      const failures = server.logs.events().filter((e) => e.event === 'event.delivery_failed' && e.client_id === client.clientId);
      expect(failures.some((e) => e.status === 500)).toBe(true);
      expect(failures.some((e) => String(e.reason).startsWith('no answer within 1000 ms'))).toBe(true);
      // the receiver holds the 11th SET a moment before the server has recorded its answer
      let listing = await server.app.eventOutbox.list(client.clientId);
      await waitUntil(async () => (listing = await server.app.eventOutbox.list(client.clientId)).queued.length === 0);
      expect([listing.queued.length, listing.delivered.length, listing.dead.length]).toEqual([0, 11, 0]);
      const metrics = await (await fetch(`${server.adminUrl}/metrics`, { headers: { authorization: `Bearer ${server.adminToken.token}` } })).text();
      expect(metrics).toMatch(/renkei_events_delivered_total \d+/);
      expect(metrics).toMatch(/renkei_events_retried_total [1-9]/);
      expect(metrics).toContain('renkei_event_delivery_seconds_bucket');
    } finally {
      await receiver.close();
    }
  });

  it('logs the err code of an RFC 8935 error response and dead-letters the refused SET at once', async () => {
    const client = await registerClient(server);
    const receiver = await new EventReceiver(server.issuer, client.clientId).start();
    try {
      receiver.mode = 'reject';
      await subscribe(server, client, receiver.url);
      await waitUntil(async () => (await server.app.eventOutbox.list(client.clientId)).dead.length === 1);
      const refusal = server.logs.events().find((e) => e.event === 'event.rejected' && e.client_id === client.clientId);
      expect(refusal).toMatchObject({ err: 'invalid_request', status: 400 });
      expect((await server.app.eventOutbox.list(client.clientId)).dead[0]!.error).toBe('rejected: invalid_request');
    } finally {
      await receiver.close();
    }
  });

  it('tries again after invalid_key (a receiver still holding the JWKS from before a key rotation) and delivers once it accepts', async () => {
    const client = await registerClient(server);
    const receiver = await new EventReceiver(server.issuer, client.clientId).start();
    try {
      receiver.mode = 'stale-key';
      await subscribe(server, client, receiver.url);
      await waitUntil(() => receiver.attempts >= 2);
      receiver.mode = 'accept';
      await receiver.waitFor((sets) => sets.length === 1);
      expect(receiver.of(VERIFICATION)).toHaveLength(1);
      const failures = server.logs.events().filter((e) => e.event === 'event.delivery_failed' && e.client_id === client.clientId);
      expect(failures[0]).toMatchObject({ status: 400, err: 'invalid_key' });
      expect(server.logs.events().filter((e) => e.event === 'event.rejected' && e.client_id === client.clientId)).toEqual([]);
      expect((await server.app.eventOutbox.list(client.clientId)).dead).toEqual([]);
    } finally {
      await receiver.close();
    }
  });
});

describe('two instances on one Redis', () => {
  let first: TestServer;
  let second: TestServer;
  beforeAll(async () => {
    first = await startTestServer({ config: fastEventsConfig(), env: { RENKEI_REDIS_URL: redis.url } });
    // instances of one deployment: one issuer, one Redis
    second = await startTestServer({ config: fastEventsConfig(), env: { RENKEI_ISSUER: first.issuer, RENKEI_REDIS_URL: redis.url } });
  });
  afterAll(async () => {
    await first.close();
    await second.close();
  });

  it('share the outbox and deliver each event exactly once, in order per grant', async () => {
    const client = await registerClient(first);
    const receiver = await new EventReceiver(first.issuer, client.clientId).start();
    try {
      receiver.mode = 'fail';
      await subscribe(first, client, receiver.url);
      const fromFirst = await queueGrantEvents(first, client, 10);
      const fromSecond = await queueGrantEvents(second, client, 10);
      await waitUntil(() => receiver.attempts >= 2);
      receiver.mode = 'accept';
      await receiver.waitFor((sets) => sets.length === 41);
      await new Promise((r) => setTimeout(r, 300));
      expect(receiver.accepted).toHaveLength(41);
      expectOncePerJtiInOrder(receiver, [...fromFirst, ...fromSecond]);
      const deliveredBy = (server: TestServer) => server.logs.events().filter((e) => e.event === 'event.delivered' && e.client_id === client.clientId).length;
      expect(deliveredBy(first) + deliveredBy(second)).toBe(41);
    } finally {
      await receiver.close();
    }
  });
});

async function waitUntil(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
