import { afterAll, describe, expect, it } from '@jest/globals';
import { createRedisAdapterFactory } from '../../../src/storage/redis-adapter.js';
import { connectTestRedis } from '../../support/redis-connection.js';
import { describeAdapterContract } from './adapter-contract.js';

const redis = connectTestRedis();
await new Promise((resolve) => redis.once('ready', resolve));
const factory = createRedisAdapterFactory(redis);

afterAll(() => redis.disconnect());

describeAdapterContract('Redis', () => factory);

const hashTag = (key: string) => /\{([^}]*)\}/.exec(key)?.[1];

describe('Redis key layout', () => {
  it('keeps a grant, its index, codes and tokens in one cluster slot (one hash tag)', async () => {
    const grantId = `slot-${Date.now()}`;
    await factory('Grant').upsert(grantId, { kind: 'Grant', jti: grantId } as never, 600);
    await factory('AuthorizationCode').upsert(`code-${grantId}`, { kind: 'AuthorizationCode', jti: 'x', grantId } as never, 60);
    await factory('AccessToken').upsert(`at-${grantId}`, { kind: 'AccessToken', jti: 'y', grantId } as never, 600);

    const grantKeys = await redis.keys(`renkei:{g:${grantId}}*`);
    expect(grantKeys.sort()).toEqual(
      [
        `renkei:{g:${grantId}}:Grant`,
        `renkei:{g:${grantId}}:index`,
        `renkei:{g:${grantId}}:live:AccessToken`,
        `renkei:{g:${grantId}}:AuthorizationCode:code-${grantId}`,
        `renkei:{g:${grantId}}:AccessToken:at-${grantId}`,
      ].sort(),
    );
    expect(new Set(grantKeys.map(hashTag))).toEqual(new Set([`g:${grantId}`]));
    // the index holds the code (60 s), the live set the access token (600 s): each lives as long as its longest member
    expect(await redis.ttl(`renkei:{g:${grantId}}:index`)).toBeGreaterThan(50);
    expect(await redis.ttl(`renkei:{g:${grantId}}:live:AccessToken`)).toBeGreaterThan(500);
  });
});

describe('Redis grant index', () => {
  it('drops members that expired when the next record of the grant is written', async () => {
    const grantId = `prune-${Date.now()}`;
    const index = `renkei:{g:${grantId}}:index`;
    const live = `renkei:{g:${grantId}}:live:AccessToken`;
    await factory('AuthorizationCode').upsert(`code-${grantId}`, { kind: 'AuthorizationCode', jti: 'c', grantId } as never, 1);
    await factory('RefreshToken').upsert(`rt1-${grantId}`, { kind: 'RefreshToken', jti: 'r', grantId } as never, 1);
    await factory('AccessToken').upsert(`at1-${grantId}`, { kind: 'AccessToken', jti: 'a', grantId } as never, 1);
    expect(await redis.zcard(index)).toBe(2);
    expect(await redis.zcard(live)).toBe(1);

    await new Promise((resolve) => setTimeout(resolve, 2100));
    await factory('RefreshToken').upsert(`rt-${grantId}`, { kind: 'RefreshToken', jti: 'r', grantId } as never, 600);
    await factory('AccessToken').upsert(`at2-${grantId}`, { kind: 'AccessToken', jti: 'a', grantId } as never, 600);

    expect(await redis.zrange(index, 0, -1)).toEqual([`Rrt-${grantId}`]);
    expect(await redis.zrange(live, 0, -1)).toEqual([`Tat2-${grantId}`]);
    expect(await redis.ttl(index)).toBeGreaterThan(590);
  });
});

describe('Redis grant index written before the sorted set', () => {
  it('is converted when first touched: its records are still revoked with the grant', async () => {
    const grantId = `legacy-${Date.now()}`;
    const oldToken = `renkei:{g:${grantId}}:AccessToken:old`;
    await redis.hset(oldToken, 'payload', JSON.stringify({ kind: 'AccessToken', jti: 'old', grantId }));
    await redis.expire(oldToken, 600);
    await redis.hset(`renkei:{AccessToken:old-${grantId}}`, 'grant', grantId);
    await redis.sadd(`renkei:{g:${grantId}}:index`, oldToken);

    await factory('AccessToken').upsert(`new-${grantId}`, { kind: 'AccessToken', jti: 'new', grantId } as never, 600);
    expect(await redis.type(`renkei:{g:${grantId}}:index`)).toBe('zset');
    expect(await redis.zrange(`renkei:{g:${grantId}}:index`, 0, -1)).toEqual([oldToken]);

    await factory('AccessToken').revokeByGrantId(grantId);
    expect(await redis.exists(oldToken, `renkei:{g:${grantId}}:AccessToken:new-${grantId}`, `renkei:{g:${grantId}}:index`)).toBe(0);
  });
});
