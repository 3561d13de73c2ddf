/** The Redis key-value store's in-place JSON field update, against a real Redis. */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from '@jest/globals';
import { connectTestRedis } from '../../support/redis-connection.js';
import { RedisKeyValueStore } from '../../../src/storage/redis-key-value-store.js';

const redis = connectTestRedis();
await new Promise((resolve) => redis.once('ready', resolve));
afterAll(() => redis.disconnect());
const kv = new RedisKeyValueStore(redis);
const key = () => `test:{kv:${randomBytes(8).toString('hex')}}:record`;

describe('RedisKeyValueStore.setJsonInteger', () => {
  it('adds the field, then replaces it, leaving every other field exactly as written', async () => {
    const record = key();
    const original = { sub: 's-1', positions: [], nested: {}, createdAt: 1_764_520_000_123, name: '山田 "lastLoginAt":1 \\', status: 'active' };
    await kv.set(record, JSON.stringify(original));

    expect(await kv.setJsonInteger(record, 'lastLoginAt', 1_764_520_111_000)).toBe(true);
    expect(JSON.parse((await kv.get(record))!)).toEqual({ ...original, lastLoginAt: 1_764_520_111_000 });

    expect(await kv.setJsonInteger(record, 'lastLoginAt', 1_764_520_222_000)).toBe(true);
    const stored = (await kv.get(record))!;
    expect(JSON.parse(stored)).toEqual({ ...original, lastLoginAt: 1_764_520_222_000 });
    expect(stored.match(/"lastLoginAt":/g)).toHaveLength(1);
  });

  it('keeps the record\'s TTL and finds no record where there is none', async () => {
    const record = key();
    await kv.set(record, '{"a":1}', 100);
    await kv.setJsonInteger(record, 'lastLoginAt', 5);
    expect(await redis.ttl(record)).toBeGreaterThan(90);
    expect(await kv.get(record)).toBe('{"a":1,"lastLoginAt":5}');

    const missing = key();
    expect(await kv.setJsonInteger(missing, 'lastLoginAt', 5)).toBe(false);
    expect(await redis.exists(missing)).toBe(0);
  });

  it('refuses field names and values the patch cannot carry', async () => {
    await expect(kv.setJsonInteger(key(), 'a"b', 1)).rejects.toThrow('letters and digits');
    await expect(kv.setJsonInteger(key(), 'at', 1.5)).rejects.toThrow('safe integer');
  });
});

describe('RedisKeyValueStore.setIfAbsentElseGet', () => {
  it('sets an absent key and answers undefined; leaves a held one and answers its value', async () => {
    const record = key();
    expect(await kv.setIfAbsentElseGet(record, 'first')).toBeUndefined();
    expect(await kv.setIfAbsentElseGet(record, 'second')).toBe('first');
    expect(await kv.get(record)).toBe('first');
  });
});

describe('RedisKeyValueStore.getMany', () => {
  it('gives the values of keys in one hash slot in their order, undefined where there is none', async () => {
    const tag = randomBytes(8).toString('hex');
    const [a, b, c] = ['a', 'b', 'c'].map((name) => `test:{kv:${tag}}:${name}`);
    await kv.set(a!, 'one');
    await kv.set(c!, 'three');
    expect(await kv.getMany([a!, b!, c!])).toEqual(['one', undefined, 'three']);
  });
});

describe('RedisKeyValueStore.incrementBoundedField', () => {
  it('counts each field, never expires, and past the bound removes another field, never the one counted', async () => {
    const hash = key();
    expect(await kv.incrementBoundedField(hash, 'a', 3)).toBe(1);
    expect(await kv.incrementBoundedField(hash, 'a', 3)).toBe(2);
    expect(await kv.incrementBoundedField(hash, 'b', 3)).toBe(1);
    expect(await kv.incrementBoundedField(hash, 'c', 3)).toBe(1);
    expect(await redis.ttl(hash)).toBe(-1);
    for (let i = 0; i < 20; i++) {
      expect(await kv.incrementBoundedField(hash, `new-${i}`, 3)).toBe(1);
      const fields = await redis.hgetall(hash);
      expect(Object.keys(fields)).toHaveLength(3);
      expect(fields[`new-${i}`]).toBe('1');
    }
    // a field already counted is counted on, whatever the hash holds
    const [kept] = Object.keys(await redis.hgetall(hash));
    expect(await kv.incrementBoundedField(hash, kept!, 3)).toBe(2);
    expect(await redis.hlen(hash)).toBe(3);
  });
});
