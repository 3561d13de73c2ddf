/**
 * A Redis connection closed while it waits to reconnect leaves nothing behind that keeps the
 * process alive: ioredis arms its half-open-socket timer (`disconnectTimeout`) there too, on the
 * socket already gone, and nothing clears it; with its 2 s default an embedding process (a test
 * run, a server stopped without `process.exit`) hung on for those 2 s. Against the run's Redis.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import { subscriberConnection, type RedisConnection } from '../../../src/storage/redis-connection.js';
import { connectTestRedis } from '../../support/redis-connection.js';

const killer = connectTestRedis() as Redis;
afterAll(() => killer.disconnect());

const pendingTimers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;

const once = (connection: RedisConnection, event: string) => new Promise<void>((resolve) => connection.once(event, () => resolve()));

/** Polls (never sleeps on) until no more timers are pending than `count`, for at most 1 s. */
async function timersBackTo(count: number): Promise<number> {
  const deadline = Date.now() + 1000;
  while (pendingTimers() > count && Date.now() < deadline) await new Promise((resolve) => setImmediate(resolve));
  return pendingTimers();
}

describe('Redis connections closed while they wait to reconnect', () => {
  it('leave no timer behind (the main connection and a subscriber connection made from it)', async () => {
    const main = connectTestRedis() as Redis;
    const subscriber = subscriberConnection(main) as Redis;
    const connections = [main, subscriber];
    try {
      await Promise.all([...connections.map((c) => once(c, 'ready')), killer.status === 'ready' || once(killer, 'ready')]);
      const before = pendingTimers();

      const ids = await Promise.all(connections.map((c) => c.client('ID')));
      const reconnecting = connections.map((c) => once(c, 'reconnecting'));
      for (const id of ids) await killer.client('KILL', 'ID', String(id));
      await Promise.all(reconnecting);
      // ioredis emits no 'end' here: the socket's close came and went before
      for (const c of connections) c.disconnect();

      expect(await timersBackTo(before)).toBeLessThanOrEqual(before);
    } finally {
      for (const c of connections) c.disconnect();
    }
  });
});
