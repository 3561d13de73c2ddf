import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import pino from 'pino';
import { generateSigningKey } from '../../../src/keys/generate-keys.js';
import { backoffMs, DeliveryWorker } from '../../../src/events/delivery-worker.js';
import { RedisOutbox } from '../../../src/events/redis-outbox.js';
import { SetSigner } from '../../../src/events/set-signer.js';
import type { OutboxEvent } from '../../../src/events/event-outbox.js';
import type { ClientRecord } from '../../../src/clients/client-record.js';
import { isolatedRedis } from './events-kit.js';

const CONFIG = { retryForSeconds: 60, initialBackoffMs: 1000, maxBackoffSeconds: 8, timeoutMs: 1000, pollIntervalMs: 1000 };

let redisServer: Awaited<ReturnType<typeof isolatedRedis>>;
let redis: Redis;
let receiver: Server;
let endpoint: string;
let answer = 500;
let attempts = 0;
beforeAll(async () => {
  redisServer = await isolatedRedis();
  redis = new Redis(redisServer.url);
  receiver = createServer((request, response) => {
    attempts++;
    request.resume();
    request.on('end', () => response.writeHead(answer).end());
  });
  receiver.listen(0, '127.0.0.1');
  await once(receiver, 'listening');
  endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/events`;
});
afterAll(async () => {
  redis.disconnect();
  await new Promise((resolve) => receiver.close(resolve));
  await redisServer.stop();
});

function event(clientId: string, queuedAt: number): OutboxEvent {
  return {
    claims: { iss: 'https://bank.example', aud: clientId, iat: Math.floor(queuedAt / 1000), jti: `jti-${clientId}`, sub_id: { format: 'opaque', id: clientId }, events: { 'https://schemas.openid.net/secevent/ssf/event-type/verification': {} } },
    queuedAt,
    target: { endpoint },
  };
}

describe('retries with doubling waits, then the dead-letter stream (injected clock)', () => {
  it('waits out each backoff, dead-letters after events.retryForSeconds, and `retry` puts the event back', async () => {
    const clientId = `dl-${Date.now()}`;
    const outbox = new RedisOutbox(redis);
    const key = await generateSigningKey('RS256');
    const counts = { delivered: 0, retried: 0, deadLettered: 0 };
    let clock = 1_800_000_000_000;
    const worker = new DeliveryWorker({
      outbox,
      signer: new SetSigner(() => key),
      config: CONFIG,
      logger: pino({ level: 'silent' }),
      findClient: async () => ({ client_id: clientId, events_endpoint: endpoint }) as ClientRecord,
      openAuthorization: () => '',
      metrics: { delivered: { inc: () => counts.delivered++ }, retried: { inc: () => counts.retried++ }, deadLettered: { inc: () => counts.deadLettered++ }, latency: { observe: () => {} } },
      now: () => clock,
    });
    await outbox.append(clientId, event(clientId, clock));
    answer = 500;
    attempts = 0;

    await worker.runOnce();
    expect(attempts).toBe(1);
    let [queued] = (await outbox.list(clientId)).queued;
    expect(queued!.retry).toMatchObject({ attempts: 1, nextAttemptAt: clock + 1000, lastError: 'HTTP 500' });

    await worker.runOnce();
    expect(attempts).toBe(1);
    // an operator's retry of a waiting event makes it due now, keeping its count
    expect(await outbox.retry(clientId, `jti-${clientId}`, clock + 500)).toBe('rescheduled');
    expect((await outbox.list(clientId)).queued[0]!.retry).toMatchObject({ attempts: 1, nextAttemptAt: clock + 500 });
    expect(await outbox.retry(clientId, 'no-such-jti', clock)).toBe(false);

    clock += 1000;
    await worker.runOnce();
    expect(attempts).toBe(2);
    [queued] = (await outbox.list(clientId)).queued;
    expect(queued!.retry).toMatchObject({ attempts: 2, nextAttemptAt: clock + 2000 });

    clock += 60_000;
    await worker.runOnce();
    const listing = await outbox.list(clientId);
    expect(listing.queued).toEqual([]);
    expect(listing.dead).toHaveLength(1);
    expect(listing.dead[0]).toMatchObject({ error: 'HTTP 500', attempts: 3, event: { claims: { jti: `jti-${clientId}` } } });
    expect(counts).toEqual({ delivered: 0, retried: 2, deadLettered: 1 });

    // requeued by an operator, the event gets a retry period of its own again (its queuedAt is long past)
    expect(await outbox.retry(clientId, `jti-${clientId}`, clock)).toBe('requeued');
    await worker.runOnce();
    expect((await outbox.list(clientId)).queued[0]!.retry).toMatchObject({ attempts: 1, lastError: 'HTTP 500' });
    expect(counts.deadLettered).toBe(1);
    clock += 1000;
    answer = 202;
    await worker.runOnce();
    const after = await outbox.list(clientId);
    expect([after.queued.length, after.dead.length, after.delivered.length]).toEqual([0, 0, 1]);
    expect(counts.delivered).toBe(1);
  });

  it('doubles the wait from initialBackoffMs up to maxBackoffSeconds', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffMs(n, CONFIG))).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
  });
});
