import { describe, expect, it } from '@jest/globals';
import { MemoryOutbox } from '../../../src/events/memory-outbox.js';
import type { OutboxEvent } from '../../../src/events/event-outbox.js';

const event = (jti: string): OutboxEvent => ({
  claims: { iss: 'https://bank.example', aud: 'c-1', iat: 1, jti, sub_id: { format: 'opaque', id: 'c-1' }, events: {} },
  queuedAt: 1,
  target: { endpoint: 'https://partner.example/events' },
});

describe('the development outbox (same interface, in process)', () => {
  it('keeps each partner’s events in order, records retries, delivery and dead letters, and requeues on retry', async () => {
    const outbox = new MemoryOutbox();
    await outbox.append('c-1', event('a'));
    await outbox.append('c-1', event('b'));
    expect(await outbox.clientIds()).toEqual(['c-1']);
    const head = (await outbox.head('c-1'))!;
    expect(head.event.claims.jti).toBe('a');
    await outbox.scheduleRetry(head, { attempts: 1, nextAttemptAt: 50, lastError: 'HTTP 500' });
    expect((await outbox.head('c-1'))!.retry).toEqual({ attempts: 1, nextAttemptAt: 50, lastError: 'HTTP 500' });
    expect(await outbox.retry('c-1', 'a', 7)).toBe('rescheduled');
    expect((await outbox.head('c-1'))!.retry!.nextAttemptAt).toBe(7);
    await outbox.deadLetter((await outbox.head('c-1'))!, 'HTTP 500', 60);
    await outbox.markDelivered((await outbox.head('c-1'))!, 61);
    let listing = await outbox.list('c-1');
    expect([listing.queued.length, listing.delivered.map((d) => d.event.claims.jti), listing.dead.map((d) => [d.event.claims.jti, d.attempts])]).toEqual([0, ['b'], [['a', 2]]]);
    expect(await outbox.retry('c-1', 'a', 70)).toBe('requeued');
    listing = await outbox.list('c-1');
    expect([listing.queued.map((q) => q.event.claims.jti), listing.dead]).toEqual([['a'], []]);
    expect(await outbox.retry('c-1', 'nope', 70)).toBe(false);
  });
});
