import { describe, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { createRedisConnection } from '../../../src/storage/redis-connection.js';

/** The options ioredis was given (no server answers these addresses: the connection is ended at once). */
function optionsFor(url: string): Redis['options'] {
  const connection = createRedisConnection(
    { url, mode: 'sentinel', sentinelName: 'renkei', commandTimeoutMs: 2000, connectTimeoutMs: 2000, slotMigrationWaitMs: 10_000 },
    pino({ level: 'silent' }),
  ) as Redis;
  connection.on('error', () => {});
  connection.disconnect();
  return connection.options;
}

describe('Sentinel connections', () => {
  it('reach rediss:// sentinels and the master they name over TLS, with the URL’s credentials for the master', () => {
    const options = optionsFor('rediss://:master-pw@127.0.0.1:1,rediss://:master-pw@127.0.0.1:2');
    expect(options).toMatchObject({ name: 'renkei', password: 'master-pw', enableTLSForSentinelMode: true, tls: {}, sentinelTLS: {} });
    expect(options.sentinels).toEqual([{ host: '127.0.0.1', port: 1 }, { host: '127.0.0.1', port: 2 }]);
  });

  it('use no TLS with redis:// sentinels', () => {
    const options = optionsFor('redis://127.0.0.1:1');
    expect(options.enableTLSForSentinelMode).toBe(false);
    expect(options.tls).toBeUndefined();
    expect(options.sentinelTLS).toBeUndefined();
  });
});
