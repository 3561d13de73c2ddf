import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from '@jest/globals';
import { MemoryKeyValueStore } from '../../../src/storage/memory-key-value-store.js';

describe('MemoryKeyValueStore strings', () => {
  it('gets what was set, overwrites, and answers undefined for missing keys', async () => {
    const kv = new MemoryKeyValueStore();
    expect(await kv.get('missing')).toBeUndefined();
    await kv.set('a', '1');
    expect(await kv.get('a')).toBe('1');
    await kv.set('a', '2');
    expect(await kv.get('a')).toBe('2');
    await kv.set('empty', '');
    expect(await kv.get('empty')).toBe('');
  });

  it('deletes one or several keys, ignoring missing ones', async () => {
    const kv = new MemoryKeyValueStore();
    await kv.set('a', '1');
    await kv.set('b', '2');
    await kv.set('c', '3');
    await kv.delete('a', 'b', 'missing');
    expect(await kv.get('a')).toBeUndefined();
    expect(await kv.get('b')).toBeUndefined();
    expect(await kv.get('c')).toBe('3');
    await kv.delete();
    expect(await kv.get('c')).toBe('3');
  });

  it('setIfAbsent sets only an absent key', async () => {
    const kv = new MemoryKeyValueStore();
    expect(await kv.setIfAbsent('k', 'first')).toBe(true);
    expect(await kv.setIfAbsent('k', 'second')).toBe(false);
    expect(await kv.get('k')).toBe('first');
    await kv.delete('k');
    expect(await kv.setIfAbsent('k', 'third')).toBe(true);
    expect(await kv.get('k')).toBe('third');
  });

  it('increment counts from one, continues an existing number, and counts per key', async () => {
    const kv = new MemoryKeyValueStore();
    expect(await kv.increment('n')).toBe(1);
    expect(await kv.increment('n')).toBe(2);
    expect(await kv.increment('n')).toBe(3);
    expect(await kv.get('n')).toBe('3');
    expect(await kv.increment('other')).toBe(1);
    await kv.set('preset', '41');
    expect(await kv.increment('preset')).toBe(42);
    await kv.delete('n');
    expect(await kv.increment('n')).toBe(1);
  });

  it('keeps many concurrent increments exact', async () => {
    const kv = new MemoryKeyValueStore();
    const results = await Promise.all(Array.from({ length: 50 }, () => kv.increment('c')));
    expect(new Set(results).size).toBe(50);
    expect(await kv.get('c')).toBe('50');
  });
});

describe('MemoryKeyValueStore expiry', () => {
  it('forgets keys after their TTL and keeps keys without one', async () => {
    const kv = new MemoryKeyValueStore();
    await kv.set('short', 'v', 1);
    await kv.set('forever', 'v');
    await kv.set('zero-ttl', 'v', 0);
    expect(await kv.setIfAbsent('nx-short', 'v', 1)).toBe(true);
    expect(await kv.increment('counter', 1)).toBe(1);
    expect(await kv.increment('counter', 100)).toBe(2); // the TTL is set when the counter is created
    await kv.set('long', 'v', 60);
    expect(await kv.get('short')).toBe('v');
    expect(await kv.setIfAbsent('nx-short', 'again', 1)).toBe(false);

    await sleep(1100);

    expect(await kv.get('short')).toBeUndefined();
    expect(await kv.get('nx-short')).toBeUndefined();
    expect(await kv.get('counter')).toBeUndefined();
    expect(await kv.get('forever')).toBe('v');
    expect(await kv.get('zero-ttl')).toBe('v');
    expect(await kv.get('long')).toBe('v');
    // an expired key is absent again
    expect(await kv.setIfAbsent('nx-short', 'again')).toBe(true);
    expect(await kv.get('nx-short')).toBe('again');
    expect(await kv.increment('counter')).toBe(1);
  });
});

describe('MemoryKeyValueStore hashes', () => {
  it('sets, gets and lists fields', async () => {
    const kv = new MemoryKeyValueStore();
    expect(await kv.hashGet('h', 'f')).toBeUndefined();
    expect(await kv.hashGetAll('h')).toEqual({});
    await kv.hashSet('h', 'client-a', '{"n":1}');
    await kv.hashSet('h', 'client-b', '{"n":2}');
    await kv.hashSet('h', 'client-a', '{"n":3}');
    expect(await kv.hashGet('h', 'client-a')).toBe('{"n":3}');
    expect(await kv.hashGet('h', 'client-c')).toBeUndefined();
    expect(await kv.hashGetAll('h')).toEqual({ 'client-a': '{"n":3}', 'client-b': '{"n":2}' });
    expect(await kv.hashGetAll('other')).toEqual({});
  });

  it('deletes fields, and the hash with its last field', async () => {
    const kv = new MemoryKeyValueStore();
    await kv.hashSet('h', 'a', '1');
    await kv.hashSet('h', 'b', '2');
    await kv.hashDelete('h', 'a');
    expect(await kv.hashGetAll('h')).toEqual({ b: '2' });
    await kv.hashDelete('h', 'missing');
    expect(await kv.hashGetAll('h')).toEqual({ b: '2' });
    await kv.hashDelete('h', 'b');
    expect(await kv.hashGetAll('h')).toEqual({});
    expect(await kv.setIfAbsent('h', 'now a string')).toBe(true);
    await kv.hashDelete('nothing', 'a');
    expect(await kv.hashGetAll('nothing')).toEqual({});
  });

  it('deletes a whole hash with delete, and keeps hashes apart from strings', async () => {
    const kv = new MemoryKeyValueStore();
    await kv.hashSet('h', 'a', '1');
    expect(await kv.get('h')).toBeUndefined();
    expect(await kv.setIfAbsent('h', 'x')).toBe(false);
    await kv.delete('h');
    expect(await kv.hashGetAll('h')).toEqual({});
    expect(await kv.hashGet('h', 'a')).toBeUndefined();
  });

  it('returns a copy from hashGetAll, not the live hash', async () => {
    const kv = new MemoryKeyValueStore();
    await kv.hashSet('h', 'a', '1');
    const all = await kv.hashGetAll('h');
    all.a = 'changed';
    all.b = 'added';
    expect(await kv.hashGetAll('h')).toEqual({ a: '1' });
  });
});

describe('MemoryKeyValueStore.incrementBoundedField', () => {
  it('counts each field and past the bound removes another field, never the one counted', async () => {
    const kv = new MemoryKeyValueStore();
    expect(await kv.incrementBoundedField('h', 'a', 2)).toBe(1);
    expect(await kv.incrementBoundedField('h', 'a', 2)).toBe(2);
    expect(await kv.incrementBoundedField('h', 'b', 2)).toBe(1);
    for (let i = 0; i < 10; i++) {
      expect(await kv.incrementBoundedField('h', `new-${i}`, 2)).toBe(1);
      const fields = await kv.hashGetAll('h');
      expect(Object.keys(fields)).toHaveLength(2);
      expect(fields[`new-${i}`]).toBe('1');
    }
  });
});
