/**
 * A change channel's subscriber connection, dropped by Redis, subscribes again by renkei's own
 * code alone (which handles a refusal), not also by ioredis' resubscription (which does not: its
 * refusal was an unhandled rejection that stops the process). Against a real Redis.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { createChangeChannels, type ChangeListener } from '../../../src/storage/change-channels.js';
import { connectTestRedis, monitorRedis } from '../../support/redis-connection.js';
import { startRedisServer } from '../../support/redis-server.mjs';

// a Redis of its own: the test drops every subscriber connection on it
const redisServer = await startRedisServer();
const redis = connectTestRedis(redisServer.url);
const control = connectTestRedis(redisServer.url) as Redis;
const channels = createChangeChannels(redis, pino({ level: 'silent' }));
afterAll(async () => {
  await channels.close();
  redis.disconnect();
  control.disconnect();
  await redisServer.stop();
});

/** A listener whose n-th `setLive(true)` can be awaited. */
function liveListener(): ChangeListener & { liveAgain(n: number): Promise<void> } {
  const turns: Array<{ promise: Promise<void>; resolve: () => void }> = [];
  const turn = (n: number) => {
    while (turns.length < n) {
      let resolve!: () => void;
      turns.push({ promise: new Promise<void>((r) => (resolve = r)), resolve });
    }
    return turns[n - 1]!;
  };
  let lives = 0;
  return {
    changed: () => {},
    setLive(live) {
      if (live) turn(++lives).resolve();
    },
    liveAgain: (n) => turn(n).promise,
  };
}

describe('change channels after Redis drops their connection', () => {
  it('subscribe again once, by their own code', async () => {
    const channel = `test:resubscribe:${process.pid}`;
    const listener = liveListener();
    channels.listen(channel, listener);
    await listener.liveAgain(1);

    const monitor = await monitorRedis(redisServer.url);
    const subscribes: string[] = [];
    let sawMarker!: () => void;
    const markerSeen = new Promise<void>((resolve) => (sawMarker = resolve));
    const marker = `marker-${process.pid}`;
    monitor.on('monitor', (_time: string, args: string[]) => {
      const [command, ...rest] = args;
      if (command?.toLowerCase() === 'subscribe' && rest.includes(channel)) subscribes.push(rest.join(' '));
      if (command?.toLowerCase() === 'echo' && rest[0] === marker) sawMarker();
    });

    await control.call('CLIENT', 'KILL', 'TYPE', 'pubsub');
    await listener.liveAgain(2);
    // MONITOR lists commands in the order Redis ran them: everything sent on 'ready' came before this
    await control.call('ECHO', marker);
    await markerSeen;
    monitor.disconnect();

    expect(subscribes).toHaveLength(1);
  });
});
