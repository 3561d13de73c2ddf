/**
 * The commands a connection sends in one turn of the event loop are handed to the kernel in one
 * write of its socket (each write is a system call), in the order issued, on a single Redis and on
 * each node of a Cluster.
 */
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Cluster, type Redis } from 'ioredis';
import { pino } from 'pino';
import { createRedisConnection, defineScript, type RedisConnection } from '../../../src/storage/redis-connection.js';
import { startRedisServer, type RedisServerHandle } from '../../support/redis-server.mjs';
import { startRedisCluster, type RedisClusterHandle } from './redis-cluster.js';

const connect = (url: string, mode: 'single' | 'cluster') =>
  createRedisConnection({ url, mode, sentinelName: null, commandTimeoutMs: 2000, connectTimeoutMs: 2000, slotMigrationWaitMs: 10_000 }, pino({ level: 'silent' }));

/** How many writes `socket` hands to the kernel while `action` runs (Writable's `_write` and `_writev`). */
async function kernelWrites<T>(socket: Socket, action: () => Promise<T>): Promise<{ writes: number; result: T }> {
  const handed = socket as unknown as Record<'_write' | '_writev', (...args: unknown[]) => unknown>;
  const originals = { _write: handed._write, _writev: handed._writev };
  let writes = 0;
  for (const name of ['_write', '_writev'] as const) {
    handed[name] = function (this: Socket, ...args: unknown[]) {
      writes += 1;
      return originals[name].apply(this, args);
    };
  }
  try {
    return { result: await action(), writes };
  } finally {
    Object.assign(handed, originals);
  }
}

/** Five commands and scripts on one key, issued in one turn; the replies show the order they ran in. */
async function fiveInOneTurn(connection: RedisConnection, key: string) {
  const appendThenRead = defineScript(connection, 'testAppendThenRead', 1, "redis.call('APPEND', KEYS[1], ARGV[1]) return redis.call('GET', KEYS[1])");
  await appendThenRead([key], ['x']); // a script's first use on a socket loads it (EVAL)
  return () =>
    Promise.all([
      connection.set(key, 'a'),
      appendThenRead([key], ['b']),
      connection.append(key, 'c'),
      appendThenRead([key], ['d']),
      connection.get(key),
    ]);
}

describe('a single Redis', () => {
  let server: RedisServerHandle;
  let connection: Redis;
  beforeAll(async () => {
    server = await startRedisServer();
    connection = connect(server.url, 'single') as Redis;
    await new Promise((resolve) => connection.once('ready', resolve));
  });
  afterAll(async () => {
    connection.disconnect();
    await server.stop();
  });

  it('gets the commands and scripts of one turn in one write, and answers each in the order issued', async () => {
    const send = await fiveInOneTurn(connection, 'test:order');
    const { result, writes } = await kernelWrites(connection.stream as Socket, send);
    expect(result).toEqual(['OK', 'ab', 3, 'abcd', 'abcd']);
    expect(writes).toBe(1);
  });

  it('sends a command of a later turn in a write of its own', async () => {
    const { result, writes } = await kernelWrites(connection.stream as Socket, async () => {
      const first = connection.set('test:turns', '1');
      await new Promise((resolve) => setImmediate(resolve));
      const second = connection.get('test:turns');
      return Promise.all([first, second]);
    });
    expect(result).toEqual(['OK', '1']);
    expect(writes).toBe(2);
  });
});

describe('a Redis Cluster', () => {
  let cluster: RedisClusterHandle;
  let connection: Cluster;
  beforeAll(async () => {
    cluster = await startRedisCluster(3);
    connection = connect(cluster.url, 'cluster') as Cluster;
    await new Promise((resolve) => connection.once('ready', resolve));
  }, 60_000);
  afterAll(async () => {
    connection.disconnect();
    await cluster.stop();
  });

  it("gets one turn's commands for one slot in one write of that node's socket", async () => {
    const key = 'test:{order}';
    const send = await fiveInOneTurn(connection, key);
    const owner = await cluster.ownerOf(Number(await cluster.nodes[0]!.client.cluster('KEYSLOT', key)));
    const node = connection.nodes('master').find((redis) => redis.options.port === owner.port)!;
    const { result, writes } = await kernelWrites(node.stream as Socket, send);
    expect(result).toEqual(['OK', 'ab', 3, 'abcd', 'abcd']);
    expect(writes).toBe(1);
  });
});
