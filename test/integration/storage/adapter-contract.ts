import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import type { AdapterFactory, AdapterPayload } from 'oidc-provider';
import { GRANT_RECORD_LIMITS } from '../../../src/storage/grant-record-limits.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const id = () => randomUUID().replace(/-/g, '');

async function errorCodeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return (error as { error?: string }).error ?? (error as Error).message;
  }
}

/**
 * The storage contract oidc-provider relies on, run against every adapter implementation so that
 * development (memory) and production (Redis) behave the same.
 */
export function describeAdapterContract(name: string, factory: () => AdapterFactory): void {
  describe(`${name} adapter contract`, () => {
    it('returns what was stored, as a copy, and nothing for unknown ids', async () => {
      const adapter = factory()('Interaction');
      const key = id();
      const payload = { kind: 'Interaction', jti: key, params: { scope: 'openid', amr: [] }, exp: 1 } as unknown as AdapterPayload;
      await adapter.upsert(key, payload, 60);
      const found = await adapter.find(key);
      expect(found).toEqual(payload);
      (found as Record<string, unknown>).kind = 'tampered';
      expect((await adapter.find(key))?.kind).toBe('Interaction');
      expect(await adapter.find(id())).toBeUndefined();
    });

    it('forgets a record when its expiresIn has passed', async () => {
      const adapter = factory()('Session');
      const key = id();
      await adapter.upsert(key, { kind: 'Session', jti: key, uid: id() } as AdapterPayload, 1);
      expect(await adapter.find(key)).toBeDefined();
      await sleep(2100);
      expect(await adapter.find(key)).toBeUndefined();
    });

    it('finds sessions by uid and device codes by user code, and destroy removes those lookups', async () => {
      const sessions = factory()('Session');
      const sessionId = id();
      const uid = id();
      await sessions.upsert(sessionId, { kind: 'Session', jti: sessionId, uid } as AdapterPayload, 60);
      expect((await sessions.findByUid(uid))?.jti).toBe(sessionId);
      await sessions.destroy(sessionId);
      expect(await sessions.find(sessionId)).toBeUndefined();
      expect(await sessions.findByUid(uid)).toBeUndefined();

      const deviceCodes = factory()('DeviceCode');
      const deviceCodeId = id();
      await deviceCodes.upsert(deviceCodeId, { kind: 'DeviceCode', jti: deviceCodeId, userCode: 'ABCD-EFGH', grantId: id() } as AdapterPayload, 60);
      expect((await deviceCodes.findByUserCode('ABCD-EFGH'))?.jti).toBe(deviceCodeId);
    });

    it('consumes a code once; a second consume is refused with invalid_grant and revokes the whole grant', async () => {
      const make = factory();
      const grantId = id();
      const codeId = id();
      const tokenId = id();
      await make('Grant').upsert(grantId, { kind: 'Grant', jti: grantId, accountId: 'a', clientId: 'c' } as AdapterPayload, 600);
      await make('AuthorizationCode').upsert(codeId, { kind: 'AuthorizationCode', jti: codeId, grantId } as AdapterPayload, 60);
      await make('AccessToken').upsert(tokenId, { kind: 'AccessToken', jti: tokenId, grantId } as AdapterPayload, 600);

      await make('AuthorizationCode').consume(codeId);
      expect(typeof (await make('AuthorizationCode').find(codeId))?.consumed).toBe('number');

      expect(await errorCodeOf(make('AuthorizationCode').consume(codeId))).toBe('invalid_grant');
      expect(await make('AccessToken').find(tokenId)).toBeUndefined();
      expect(await make('AuthorizationCode').find(codeId)).toBeUndefined();
      expect(await make('Grant').find(grantId)).toBeUndefined();
    });

    it('lets exactly one of 20 concurrent consumers of one code win', async () => {
      const adapter = factory()('AuthorizationCode');
      const codeId = id();
      await adapter.upsert(codeId, { kind: 'AuthorizationCode', jti: codeId, grantId: id() } as AdapterPayload, 60);
      const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => adapter.consume(codeId)));
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      const reasons = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected').map((o) => (o.reason as { error: string }).error);
      expect(reasons).toEqual(Array(19).fill('invalid_grant'));
    });

    it('claims a ReplayDetection id on find, so that of 20 concurrent uniqueness checks exactly one finds it free', async () => {
      const adapter = factory()('ReplayDetection');
      const jti = id();
      const found = await Promise.all(Array.from({ length: 20 }, () => adapter.find(jti)));
      expect(found.filter((f) => f === undefined)).toHaveLength(1);
      await adapter.upsert(jti, { kind: 'ReplayDetection', jti, iss: 'client' } as AdapterPayload, 60);
      expect((await adapter.find(jti))?.iss).toBe('client');
    });

    it('refuses a reused pushed authorization request with invalid_request_uri', async () => {
      const adapter = factory()('PushedAuthorizationRequest');
      const requestId = id();
      await adapter.upsert(requestId, { kind: 'PushedAuthorizationRequest', jti: requestId } as AdapterPayload, 60);
      await adapter.consume(requestId);
      expect(await errorCodeOf(adapter.consume(requestId))).toBe('invalid_request_uri');
    });

    it('refuses to consume what does not exist', async () => {
      expect(await errorCodeOf(factory()('AuthorizationCode').consume(id()))).toBe('invalid_grant');
    });

    it('revokes every code and token of one grant, and nothing of another', async () => {
      const make = factory();
      const grantId = id();
      const otherGrantId = id();
      const records = ['AccessToken', 'RefreshToken', 'AuthorizationCode'].map((model) => ({ model, id: id() }));
      for (const { model, id: recordId } of records) {
        await make(model).upsert(recordId, { kind: model, jti: recordId, grantId } as AdapterPayload, 600);
      }
      const survivor = id();
      await make('AccessToken').upsert(survivor, { kind: 'AccessToken', jti: survivor, grantId: otherGrantId } as AdapterPayload, 600);

      await make('AccessToken').revokeByGrantId(grantId);

      for (const { model, id: recordId } of records) expect(await make(model).find(recordId)).toBeUndefined();
      expect((await make('AccessToken').find(survivor))?.jti).toBe(survivor);
    });

    it('destroys a single token without touching its siblings', async () => {
      const make = factory();
      const grantId = id();
      const [first, second] = [id(), id()];
      await make('AccessToken').upsert(first, { kind: 'AccessToken', jti: first, grantId } as AdapterPayload, 600);
      await make('AccessToken').upsert(second, { kind: 'AccessToken', jti: second, grantId } as AdapterPayload, 600);
      await make('AccessToken').destroy(first);
      expect(await make('AccessToken').find(first)).toBeUndefined();
      expect((await make('AccessToken').find(second))?.jti).toBe(second);
    });

    it('keeps the consumed mark when a record is saved again', async () => {
      const adapter = factory()('RefreshToken');
      const tokenId = id();
      const grantId = id();
      await adapter.upsert(tokenId, { kind: 'RefreshToken', jti: tokenId, grantId } as AdapterPayload, 600);
      await adapter.consume(tokenId);
      const stored = (await adapter.find(tokenId))!;
      await adapter.upsert(tokenId, stored, 600);
      expect((await adapter.find(tokenId))?.consumed).toBe(stored.consumed);
    });

    it('keeps only the newest live access tokens of a grant, and revocation still ends them all', async () => {
      const make = factory();
      const grantId = id();
      const tokens = Array.from({ length: GRANT_RECORD_LIMITS.liveAccessTokens + 4 }, () => id());
      for (const tokenId of tokens) await make('AccessToken').upsert(tokenId, { kind: 'AccessToken', jti: tokenId, grantId } as AdapterPayload, 600);

      const found = await Promise.all(tokens.map((tokenId) => make('AccessToken').find(tokenId)));
      expect(found.map((payload) => payload !== undefined)).toEqual([...Array(4).fill(false), ...Array(GRANT_RECORD_LIMITS.liveAccessTokens).fill(true)]);

      await make('AccessToken').revokeByGrantId(grantId);
      for (const tokenId of tokens) expect(await make('AccessToken').find(tokenId)).toBeUndefined();
    });

    it('remembers the most recent rotated refresh tokens (a reuse revokes the grant) and a used code however many rotations follow', async () => {
      const make = factory();
      const grantId = id();
      const codeId = id();
      await make('Grant').upsert(grantId, { kind: 'Grant', jti: grantId } as AdapterPayload, 600);
      await make('AuthorizationCode').upsert(codeId, { kind: 'AuthorizationCode', jti: codeId, grantId } as AdapterPayload, 60);
      await make('AuthorizationCode').consume(codeId);

      const rotations = GRANT_RECORD_LIMITS.usedRefreshTokens + 5;
      const lineage = Array.from({ length: rotations + 1 }, () => id());
      for (const [index, tokenId] of lineage.entries()) {
        await make('RefreshToken').upsert(tokenId, { kind: 'RefreshToken', jti: tokenId, grantId } as AdapterPayload, 600);
        if (index < rotations) await make('RefreshToken').consume(tokenId);
      }

      expect(await make('RefreshToken').find(lineage[0]!)).toBeUndefined();
      expect(typeof (await make('RefreshToken').find(lineage[rotations - GRANT_RECORD_LIMITS.usedRefreshTokens]!))?.consumed).toBe('number');
      expect(typeof (await make('AuthorizationCode').find(codeId))?.consumed).toBe('number');

      const reused = lineage[rotations - 3]!;
      expect(await errorCodeOf(make('RefreshToken').consume(reused))).toBe('invalid_grant');
      expect(await make('RefreshToken').find(lineage[rotations]!)).toBeUndefined();
      expect(await make('AuthorizationCode').find(codeId)).toBeUndefined();
      expect(await make('Grant').find(grantId)).toBeUndefined();
    });
  });
}
