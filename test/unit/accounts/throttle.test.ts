import { afterAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { Throttle } from '../../../src/accounts/throttle.js';
import type { RedisConnection } from '../../../src/storage/redis-connection.js';
import { StoreUnavailable } from '../../../src/storage/store-errors.js';
import { connectTestRedis } from '../../support/redis-connection.js';

const redis = connectTestRedis();
await new Promise((resolve) => redis.once('ready', resolve));
afterAll(() => redis.disconnect());

const budget = { failuresPerIp: 3, windowSeconds: 60 };

type Connection = () => RedisConnection | undefined;
describe.each<[string, Connection]>([
  ['Redis', () => redis],
  ['memory', () => undefined],
])('Throttle (%s)', (_store, connection) => {
  it('blocks an IP once its failures reach the budget, and only that IP', async () => {
    const refused: number[] = [];
    const throttle = new Throttle(connection(), budget, () => refused.push(1));
    const isBlocked = async (address: string) => throttle.refuses(await throttle.readStanding(address));
    const ip = `192.0.2.${Math.floor(Math.random() * 250)}-${randomUUID()}`;
    for (let failure = 0; failure < budget.failuresPerIp; failure++) {
      expect(await isBlocked(ip)).toBe(false);
      await throttle.recordFailure(ip);
    }
    expect(await isBlocked(ip)).toBe(true);
    await throttle.recordFailure(ip);
    expect(await isBlocked(ip)).toBe(true);
    expect(await isBlocked(`${ip}-other`)).toBe(false);
    expect(refused).toHaveLength(2);
  });

  it('reads a standing without counting a refusal; judging a spent one counts it', async () => {
    const refused: number[] = [];
    const throttle = new Throttle(connection(), budget, () => refused.push(1));
    const ip = `198.51.100.${Math.floor(Math.random() * 250)}-${randomUUID()}`;
    for (let failure = 0; failure < budget.failuresPerIp; failure++) await throttle.recordFailure(ip);
    const standing = await throttle.readStanding(ip);
    expect([standing, refused.length]).toEqual([{ failures: budget.failuresPerIp }, 0]);
    expect(throttle.refuses(standing)).toBe(true);
    expect(throttle.refuses(await throttle.readStanding(`${ip}-other`))).toBe(false);
    expect(refused).toHaveLength(1);
  });
});

describe('Throttle with Redis away', () => {
  it('answers StoreUnavailable', async () => {
    const away = connectTestRedis('redis://127.0.0.1:1');
    try {
      const throttle = new Throttle(away, budget);
      await expect(throttle.readStanding('192.0.2.1')).rejects.toBeInstanceOf(StoreUnavailable);
      await expect(throttle.recordFailure('192.0.2.1')).rejects.toBeInstanceOf(StoreUnavailable);
    } finally {
      away.disconnect();
    }
  });
});
