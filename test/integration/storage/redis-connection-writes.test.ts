/**
 * Commands issued in one turn of the event loop leave in one write to the connection's socket, in
 * the order issued (each write is a system call; Redis itself reads whatever has arrived at once).
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Socket } from 'node:net';
import { pino } from 'pino';
import { createRedisConnection, defineScript, type RedisConnection } from '../../../src/storage/redis-connection.js';
import { startRedisServer, type RedisServerHandle } from '../../support/redis-server.mjs';

let server: RedisServerHandle;
let connection: RedisConnection;
beforeAll(async () => {
  server = await startRedisServer();
  connection = createRedisConnection(
    { url: server.url, mode: 'single', sentinelName: null, commandTimeoutMs: 2000, connectTimeoutMs: 2000, slotMigrationWaitMs: 10_000 },
    pino({ level: 'silent' }),
  );
  await new Promise((resolve) => connection.once('ready', resolve));
});
afterAll(async () => {
  connection.disconnect();
  await server.stop();
});

/** How many times `action` writes to the connection's socket. */
async function socketWrites<T>(action: () => Promise<T>): Promise<{ writes: number; result: T }> {
  const socket = (connection as unknown as { stream: Socket }).stream;
  const write = socket.write;
  let writes = 0;
  socket.write = function (this: Socket, ...args: unknown[]) {
    writes += 1;
    return (write as (...a: unknown[]) => boolean).apply(this, args);
  } as Socket['write'];
  try {
    return { result: await action(), writes };
  } finally {
    socket.write = write;
  }
}

it('sends the commands and scripts of one turn in one write, and answers each in the order issued', async () => {
  const appendThenRead = defineScript(connection, 'testAppendThenRead', 1, "redis.call('APPEND', KEYS[1], ARGV[1]) return redis.call('GET', KEYS[1])");
  await appendThenRead(['test:warm'], ['x']); // the script's first use on a socket loads it (EVAL)
  const { result: replies, writes } = await socketWrites(() =>
    Promise.all([
      connection.set('test:order', 'a'),
      appendThenRead(['test:order'], ['b']),
      connection.append('test:order', 'c'),
      appendThenRead(['test:order'], ['d']),
      connection.get('test:order'),
    ]),
  );
  expect(replies).toEqual(['OK', 'ab', 3, 'abcd', 'abcd']);
  expect(writes).toBe(1);
});
