/**
 * What renkei keeps in Redis per record, pinned so that it stays small: records are strings that
 * leave out what their key says, a grant's sorted sets and a customer's grant hash stay in
 * Redis's compact listpack encoding, a consumed code keeps only what a replay check needs (and a
 * replay still revokes the grant), and records of the earlier hash layout are still served.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from '@jest/globals';
import type { AdapterPayload } from 'oidc-provider';
import { GrantIndex } from '../../../src/grants/grant-index.js';
import { GRANT_RECORD_LIMITS } from '../../../src/storage/grant-record-limits.js';
import { createRedisAdapterFactory } from '../../../src/storage/redis-adapter.js';
import { connectTestRedis } from '../../support/redis-connection.js';
import { RedisKeyValueStore } from '../../../src/storage/redis-key-value-store.js';

const redis = connectTestRedis();
await new Promise((resolve) => redis.once('ready', resolve));
afterAll(() => redis.disconnect());

/** oidc-provider's ids: 256 random bits, base64url */
const tokenId = () => randomBytes(32).toString('base64url');
/** a fresh process: nothing known about which grant holds what */
const freshFactory = () => createRedisAdapterFactory(redis);
const encodingOf = (key: string) => redis.object('ENCODING', key);
const now = () => Math.floor(Date.now() / 1000);

function codePayload(id: string, grantId: string): AdapterPayload {
  return {
    iat: now(), exp: now() + 60, kind: 'AuthorizationCode', jti: id, grantId,
    accountId: 'd3a0c2c4-5a41-4a7e-9a63-1f1d0c3a7b11', clientId: 'c-partner', scope: 'openid offline_access accounts',
    nonce: tokenId(), sessionUid: tokenId(), redirectUri: 'https://partner.example/callback',
    codeChallenge: tokenId(), codeChallengeMethod: 'S256', claims: { userinfo: {} }, acr: 'urn:renkei:acr:pwd-digits', amr: ['pwd', 'pin'],
  } as unknown as AdapterPayload;
}

describe('Redis record layout', () => {
  it('stores a record as one string without its kind, id and grant (and what its grant holds), and reads it back whole', async () => {
    const factory = freshFactory();
    const grantId = tokenId();
    const accessTokenId = tokenId();
    const grant = { iat: now(), exp: now() + 600, kind: 'Grant', jti: grantId, accountId: 'a', clientId: 'c', openid: { scope: 'openid' } } as unknown as AdapterPayload;
    const accessToken = { iat: now(), exp: now() + 600, kind: 'AccessToken', jti: accessTokenId, grantId, accountId: 'a', clientId: 'c', scope: 'openid' } as unknown as AdapterPayload;
    await factory('Grant').upsert(grantId, grant, 600);
    await factory('AccessToken').upsert(accessTokenId, accessToken, 600);

    const storedToken = `renkei:{g:${grantId}}:AccessToken:${accessTokenId}`;
    expect(await redis.type(storedToken)).toBe('string');
    expect(Object.keys(JSON.parse((await redis.get(storedToken))!) as object).sort()).toEqual(['exp', 'iat', 'scope']);
    expect(await redis.get(`renkei:{AccessToken:${accessTokenId}}`)).toBe(`@${grantId}`);
    expect(JSON.parse((await redis.get(`renkei:{g:${grantId}}:Grant`))!)).not.toHaveProperty('jti');

    expect(await freshFactory()('AccessToken').find(accessTokenId)).toEqual(accessToken);
    expect(await freshFactory()('Grant').find(grantId)).toEqual(grant);
  });

  it('leaves a token’s accountId and clientId to its grant only when the grant holds the same', async () => {
    const factory = freshFactory();
    const grantId = tokenId();
    await factory('Grant').upsert(grantId, { iat: now(), exp: now() + 600, kind: 'Grant', jti: grantId, accountId: 'a', clientId: 'c' } as unknown as AdapterPayload, 600);
    const token = (accountId: string, clientId: string) => {
      const jti = tokenId();
      return { iat: now(), exp: now() + 600, kind: 'AccessToken', jti, grantId, accountId, clientId, scope: 'openid' } as unknown as AdapterPayload;
    };
    const stored = async (payload: AdapterPayload) => JSON.parse((await redis.get(`renkei:{g:${grantId}}:AccessToken:${payload.jti}`))!) as Record<string, unknown>;
    const lean = token('a', 'c');
    const otherAccount = token('b', 'c');
    const otherClient = token('a', 'd');
    for (const payload of [lean, otherAccount, otherClient]) await factory('AccessToken').upsert(payload.jti!, payload, 600);

    expect(await stored(lean)).not.toHaveProperty('clientId');
    expect(await stored(otherAccount)).toMatchObject({ accountId: 'b', clientId: 'c' });
    expect(await stored(otherClient)).toMatchObject({ accountId: 'a', clientId: 'd' });
    for (const payload of [lean, otherAccount, otherClient]) expect(await freshFactory()('AccessToken').find(payload.jti!)).toEqual(payload);

    const refreshToken = { ...token('a', 'c'), kind: 'RefreshToken' } as AdapterPayload;
    await factory('RefreshToken').upsert(refreshToken.jti!, refreshToken, 600);
    expect(await redis.get(`renkei:{g:${grantId}}:RefreshToken:${refreshToken.jti}`)).toContain('"clientId":"c"');

    // the grant gone (oidc-provider then refuses its tokens whatever they hold), nothing puts them back
    await redis.del(`renkei:{g:${grantId}}:Grant`);
    expect(await freshFactory()('AccessToken').find(lean.jti!)).not.toHaveProperty('clientId');
    expect(await freshFactory()('AccessToken').find(otherAccount.jti!)).toEqual(otherAccount);
    const withoutGrant = token('a', 'c');
    await factory('AccessToken').upsert(withoutGrant.jti!, withoutGrant, 600);
    expect(await stored(withoutGrant)).toMatchObject({ accountId: 'a', clientId: 'c' });
  });

  it('keeps a busy grant’s index, live access tokens and used refresh tokens in the listpack encoding', async () => {
    const factory = freshFactory();
    const grantId = tokenId();
    const code = tokenId();
    await factory('AuthorizationCode').upsert(code, codePayload(code, grantId), 60);
    await factory('AuthorizationCode').consume(code);
    for (let i = 0; i < GRANT_RECORD_LIMITS.usedRefreshTokens + 4; i += 1) {
      const refreshToken = tokenId();
      await factory('RefreshToken').upsert(refreshToken, { kind: 'RefreshToken', jti: refreshToken, grantId, iat: now(), exp: now() + 86_400 } as AdapterPayload, 86_400);
      await factory('RefreshToken').consume(refreshToken);
    }
    for (let i = 0; i < GRANT_RECORD_LIMITS.liveAccessTokens + 4; i += 1) {
      const accessToken = tokenId();
      await factory('AccessToken').upsert(accessToken, { kind: 'AccessToken', jti: accessToken, grantId, iat: now(), exp: now() + 600 } as AdapterPayload, 600);
    }

    const key = (name: string) => `renkei:{g:${grantId}}:${name}`;
    expect(await redis.zcard(key('live:AccessToken'))).toBe(GRANT_RECORD_LIMITS.liveAccessTokens);
    expect(await redis.zcard(key('used:RefreshToken'))).toBe(GRANT_RECORD_LIMITS.usedRefreshTokens);
    // access tokens are tracked by their capped set only: the index holds the code and the kept refresh tokens
    expect(await redis.zcard(key('index'))).toBe(1 + GRANT_RECORD_LIMITS.usedRefreshTokens);
    for (const name of ['index', 'live:AccessToken', 'used:RefreshToken']) expect([name, await encodingOf(key(name))]).toEqual([name, 'listpack']);
  });

  it('keeps a customer’s grants hash in the listpack encoding, the last use beside the summary', async () => {
    const grants = new GrantIndex(new RedisKeyValueStore(redis));
    const sub = `compact-${Date.now()}`;
    const summary = { grantId: tokenId(), clientId: 'c-juhGiNN1eZEkq9Wj', scope: 'openid offline_access accounts', createdAt: Date.now(), expiresAt: Date.now() + 7_776_000_000 };
    await grants.record(sub, summary);
    await grants.touch(sub, summary.clientId, summary.createdAt + 5);

    expect(await encodingOf(`renkei:{c:${sub}}:grants`)).toBe('listpack');
    expect(await redis.exists(`renkei:{c:${sub}}:grants-last-used`)).toBe(0);
    expect(await grants.find(sub, summary.clientId)).toEqual({ ...summary, lastUsedAt: summary.createdAt + 5 });
    await grants.remove(sub, summary);
    expect(await redis.exists(`renkei:{c:${sub}}:grants`)).toBe(0);
  });

  it('finds only the grant id of a customer’s grant to a partner, in the current and the earlier layout, and none once removed', async () => {
    const grants = new GrantIndex(new RedisKeyValueStore(redis));
    const sub = `grant-id-${Date.now()}`;
    const current = { grantId: tokenId(), clientId: 'c-current', scope: 'openid accounts', createdAt: Date.now(), expiresAt: Date.now() + 60_000 };
    const earlier = { grantId: tokenId(), clientId: 'c-earlier', scope: 'openid accounts', createdAt: Date.now(), expiresAt: Date.now() + 60_000 };
    await grants.record(sub, current);
    await redis.hset(`renkei:{c:${sub}}:grants`, earlier.clientId, JSON.stringify(earlier));

    expect(await grants.findGrantId(sub, current.clientId)).toBe(current.grantId);
    expect(await grants.findGrantId(sub, earlier.clientId)).toBe(earlier.grantId);
    expect(await grants.findGrantId(sub, 'c-never')).toBeUndefined();
    await grants.remove(sub, current);
    await grants.remove(sub, earlier);
    expect(await grants.findGrantId(sub, current.clientId)).toBeUndefined();
    expect(await grants.findGrantId(sub, earlier.clientId)).toBeUndefined();
  });
});

describe('a consumed authorization code', () => {
  it('keeps only what the checks before `consumed` read, and a replay still revokes the whole grant', async () => {
    const factory = freshFactory();
    const grantId = tokenId();
    const code = tokenId();
    const accessToken = tokenId();
    const issued = codePayload(code, grantId);
    await factory('Grant').upsert(grantId, { kind: 'Grant', jti: grantId, clientId: 'c-partner', accountId: 'a' } as AdapterPayload, 600);
    await factory('AuthorizationCode').upsert(code, issued, 60);
    await factory('AuthorizationCode').consume(code);
    await factory('AccessToken').upsert(accessToken, { kind: 'AccessToken', jti: accessToken, grantId } as AdapterPayload, 600);

    const raw = (await redis.get(`renkei:{g:${grantId}}:AuthorizationCode:${code}`))!;
    expect(raw).toMatch(/^\d+\{/);
    const found = (await freshFactory()('AuthorizationCode').find(code))!;
    const checked = ['kind', 'jti', 'iat', 'exp', 'clientId', 'grantId', 'codeChallenge', 'codeChallengeMethod', 'redirectUri'] as const;
    expect(Object.keys(found).sort()).toEqual([...checked, 'consumed'].sort());
    for (const field of checked) expect([field, found[field]]).toEqual([field, issued[field]]);
    expect(typeof found.consumed).toBe('number');

    await expect(freshFactory()('AuthorizationCode').consume(code)).rejects.toThrow();
    expect(await redis.keys(`renkei:{g:${grantId}}*`)).toEqual([]);
    expect(await freshFactory()('AccessToken').find(accessToken)).toBeUndefined();
  });
});

describe('records written in the earlier hash layout', () => {
  it('are still found, consumed once, and revoked with their grant', async () => {
    const grantId = tokenId();
    const code = tokenId();
    const accessToken = tokenId();
    const member = (model: string, id: string) => `renkei:{g:${grantId}}:${model}:${id}`;
    await redis.hset(`renkei:{g:${grantId}}:Grant`, 'payload', JSON.stringify({ kind: 'Grant', jti: grantId, clientId: 'c-partner' }));
    await redis.hset(member('AuthorizationCode', code), 'payload', JSON.stringify(codePayload(code, grantId)));
    await redis.hset(`renkei:{AuthorizationCode:${code}}`, 'grant', grantId);
    await redis.hset(member('AccessToken', accessToken), 'payload', JSON.stringify({ kind: 'AccessToken', jti: accessToken, grantId }));
    await redis.hset(`renkei:{AccessToken:${accessToken}}`, 'grant', grantId);
    await redis.zadd(`renkei:{g:${grantId}}:index`, now() + 60, member('AuthorizationCode', code), now() + 600, member('AccessToken', accessToken));
    const session = tokenId();
    await redis.hset(`renkei:{Session:${session}}`, 'payload', JSON.stringify({ kind: 'Session', jti: session, accountId: 'a' }));

    expect((await freshFactory()('Session').find(session))?.accountId).toBe('a');
    expect((await freshFactory()('AccessToken').find(accessToken))?.grantId).toBe(grantId);
    expect((await freshFactory()('AuthorizationCode').find(code))?.clientId).toBe('c-partner');
    expect((await freshFactory()('Grant').find(grantId))?.clientId).toBe('c-partner');

    await freshFactory()('AuthorizationCode').consume(code);
    expect(typeof (await freshFactory()('AuthorizationCode').find(code))?.consumed).toBe('number');
    await expect(freshFactory()('AuthorizationCode').consume(code)).rejects.toThrow();
    expect(await redis.keys(`renkei:{g:${grantId}}*`)).toEqual([]);

    await freshFactory()('Session').destroy(session);
    expect(await redis.exists(`renkei:{Session:${session}}`)).toBe(0);
  });
});
