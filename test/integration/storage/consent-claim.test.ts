/**
 * The consent claim (one grant for a double-submitted 許可する) on both key-value stores: taken
 * once while the interaction's progress exists, and once the consent is granted neither the
 * progress nor the claim is left, and no later submission can claim again.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { ProgressStore } from '../../../interactions/progress.js';
import type { KeyValueStore } from '../../../src/storage/key-value-store.js';
import { MemoryKeyValueStore } from '../../../src/storage/memory-key-value-store.js';
import { connectTestRedis } from '../../support/redis-connection.js';
import { RedisKeyValueStore } from '../../../src/storage/redis-key-value-store.js';
import { redisKeys } from '../../../src/storage/redis-keys.js';

const redis = connectTestRedis();
await new Promise((resolve) => redis.once('ready', resolve));
afterAll(() => redis.disconnect());

const uid = () => randomBytes(32).toString('base64url');

describe.each([
  ['memory', () => new MemoryKeyValueStore()],
  ['Redis', () => new RedisKeyValueStore(redis)],
] as [string, () => KeyValueStore][])('the consent claim (%s)', (_name, newStore) => {
  it('is taken once while the progress exists, and can be taken again once released', async () => {
    const kv = newStore();
    const progress = new ProgressStore(kv, 600);
    const id = uid();
    await progress.start(id, 'ja');
    expect(await progress.claimConsent(id, 'first')).toBe('claimed');
    expect(await progress.claimConsent(id, 'second')).toBe('taken');
    await progress.releaseConsent(id, 'first');
    expect(await progress.claimConsent(id, 'second')).toBe('claimed');
  });

  it("is released only by the submission holding it: one whose claim failed cannot free another's", async () => {
    const kv = newStore();
    const progress = new ProgressStore(kv, 600);
    const id = uid();
    await progress.start(id, 'ja');
    expect(await progress.claimConsent(id, 'holder')).toBe('claimed');
    await progress.releaseConsent(id, 'another');
    expect(await progress.claimConsent(id, 'third')).toBe('taken');
    await progress.releaseConsent(id, 'holder');
    expect(await progress.claimConsent(id, 'third')).toBe('claimed');
  });

  it('leaves nothing once the consent is granted, and answers every later claim with finished', async () => {
    const kv = newStore();
    const progress = new ProgressStore(kv, 600);
    const id = uid();
    await progress.start(id, 'ja');
    expect(await progress.claimConsent(id, 'first')).toBe('claimed');
    await progress.finishConsent(id);
    expect(await kv.get(redisKeys.interactionProgress(id))).toBeUndefined();
    expect(await kv.get(redisKeys.interactionConsent(id))).toBeUndefined();
    expect(await progress.claimConsent(id, 'later')).toBe('finished');
    expect(await kv.get(redisKeys.interactionConsent(id))).toBeUndefined();
  });

  it('counts a consent finished by an earlier version (its redirect kept beside no progress) as finished', async () => {
    const kv = newStore();
    const progress = new ProgressStore(kv, 600);
    const id = uid();
    await kv.set(redisKeys.interactionConsent(id), 'http://127.0.0.1/auth/x', 10);
    expect(await progress.claimConsent(id, 'later')).toBe('finished');
  });
});
