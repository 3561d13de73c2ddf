import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RedisConnection } from '../../../src/storage/redis-connection.js';
import { basicAuth, issueCode, postForm, REDIRECT_URI, registerClient, seedCustomer, type TestClient } from '../../support/oauth-fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

const REFRESHES = 1000;
/** a used code, a live refresh token, 16 rotated ones, and a little slack (live access tokens have their own capped set) */
const INDEX_BOUND = 40;

let server: TestServer;
let redis: RedisConnection;
let tokenEndpoint: string;
let revocationEndpoint: string;

beforeAll(async () => {
  server = await startTestServer({ logLevel: 'warn' });
  redis = server.store.redis!;
  const discovery = (await (await fetch(`${server.issuer}/.well-known/openid-configuration`)).json()) as Record<string, string>;
  tokenEndpoint = discovery.token_endpoint!;
  revocationEndpoint = discovery.revocation_endpoint!;
});
afterAll(() => server.close());

const grantKeys = (grantId: string) => redis.keys(`renkei:{g:${grantId}}*`);
const indexSize = (grantId: string) => redis.zcard(`renkei:{g:${grantId}}:index`);

async function userinfoStatus(accessToken: string): Promise<number> {
  return (await fetch(`${server.issuer}/me`, { headers: { authorization: `Bearer ${accessToken}` } })).status;
}

async function startGrant(client: TestClient) {
  const sub = await seedCustomer(server);
  const { code, verifier, grantId } = await issueCode(server, client, sub, 'openid offline_access accounts');
  const codeForm = { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT_URI, client_id: client.clientId };
  const auth: Record<string, string> = client.clientSecret ? { authorization: basicAuth(client) } : {};
  const issued = await postForm(tokenEndpoint, codeForm, auth);
  expect(issued.status).toBe(200);
  return { grantId, codeForm, auth, first: issued.json as { access_token: string; refresh_token: string } };
}

describe('per-grant index under a thousand refreshes (SPEC §7)', () => {
  it('stays small for a confidential client, a replayed code still revokes the grant, and nothing of the grant is left', async () => {
    const client = await registerClient(server);
    const { grantId, codeForm, auth, first } = await startGrant(client);

    // a confidential client's refresh token is not rotated: refresh with it from 8 workers at once
    const statuses: number[] = [];
    let accessToken = first.access_token;
    const worker = async () => {
      while (statuses.length < REFRESHES) {
        const refreshed = await postForm(tokenEndpoint, { grant_type: 'refresh_token', refresh_token: first.refresh_token }, auth);
        statuses.push(refreshed.status);
        accessToken = refreshed.json.access_token as string;
        if (statuses.length % 100 === 0) expect(await indexSize(grantId)).toBeLessThanOrEqual(INDEX_BOUND);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    expect(await indexSize(grantId)).toBeLessThanOrEqual(INDEX_BOUND);
    expect((await grantKeys(grantId)).length).toBeLessThanOrEqual(INDEX_BOUND);
    expect(await userinfoStatus(accessToken)).toBe(200);

    const replay = await postForm(tokenEndpoint, codeForm, auth);
    expect([replay.status, replay.json.error]).toEqual([400, 'invalid_grant']);
    expect(await grantKeys(grantId)).toEqual([]);
    expect(await userinfoStatus(accessToken)).toBe(401);
    const refreshAfter = await postForm(tokenEndpoint, { grant_type: 'refresh_token', refresh_token: first.refresh_token }, auth);
    expect([refreshAfter.status, refreshAfter.json.error]).toEqual([400, 'invalid_grant']);
  });

  it('stays small for a public client whose refresh tokens rotate; a reused rotated one revokes the grant', async () => {
    const client = await registerClient(server, { isPublic: true });
    const { grantId, first } = await startGrant(client);

    const lineage = [first.refresh_token];
    let accessToken = first.access_token;
    for (let i = 0; i < REFRESHES; i += 1) {
      const refreshed = await postForm(tokenEndpoint, { grant_type: 'refresh_token', refresh_token: lineage.at(-1)!, client_id: client.clientId });
      expect(refreshed.status).toBe(200);
      lineage.push(refreshed.json.refresh_token as string);
      accessToken = refreshed.json.access_token as string;
      if (i % 100 === 0) expect(await indexSize(grantId)).toBeLessThanOrEqual(INDEX_BOUND);
    }
    expect(await indexSize(grantId)).toBeLessThanOrEqual(INDEX_BOUND);
    expect((await grantKeys(grantId)).length).toBeLessThanOrEqual(INDEX_BOUND);

    const reuse = await postForm(tokenEndpoint, { grant_type: 'refresh_token', refresh_token: lineage.at(-3)!, client_id: client.clientId });
    expect([reuse.status, reuse.json.error]).toEqual([400, 'invalid_grant']);
    expect(await grantKeys(grantId)).toEqual([]);
    expect(await userinfoStatus(accessToken)).toBe(401);
    const current = await postForm(tokenEndpoint, { grant_type: 'refresh_token', refresh_token: lineage.at(-1)!, client_id: client.clientId });
    expect([current.status, current.json.error]).toEqual([400, 'invalid_grant']);
  });

  it('keeps a grant’s bytes (its access tokens aside) the same however often it is refreshed', async () => {
    const client = await registerClient(server);
    const { grantId, codeForm, auth, first } = await startGrant(client);
    const grantKeysAsideAccessTokens = async () => [
      ...(await grantKeys(grantId)).filter((key) => !key.includes('AccessToken')),
      `renkei:{AuthorizationCode:${codeForm.code}}`,
      `renkei:{RefreshToken:${first.refresh_token}}`,
    ];
    const bytes = async () => {
      let total = 0;
      for (const key of await grantKeysAsideAccessTokens()) total += Number(await redis.memory('USAGE', key, 'SAMPLES', 0));
      return total;
    };
    const refresh = async (times: number) => {
      for (let i = 0; i < times; i += 1) {
        expect((await postForm(tokenEndpoint, { grant_type: 'refresh_token', refresh_token: first.refresh_token }, auth)).status).toBe(200);
      }
    };
    await refresh(1);
    const afterOne = await bytes();
    await refresh(40);
    expect(await bytes()).toBe(afterOne);
    expect(await redis.zcard(`renkei:{g:${grantId}}:index`)).toBe(2);
    expect(await redis.zcard(`renkei:{g:${grantId}}:live:AccessToken`)).toBe(16);
  });

  it('revoking the refresh token at the revocation endpoint removes every record of the grant', async () => {
    const client = await registerClient(server);
    const { grantId, auth, first } = await startGrant(client);
    for (let i = 0; i < 40; i += 1) {
      expect((await postForm(tokenEndpoint, { grant_type: 'refresh_token', refresh_token: first.refresh_token }, auth)).status).toBe(200);
    }
    expect(await indexSize(grantId)).toBeLessThanOrEqual(INDEX_BOUND);

    const revoked = await postForm(revocationEndpoint, { token: first.refresh_token, token_type_hint: 'refresh_token' }, auth);
    expect(revoked.status).toBe(200);
    expect(await grantKeys(grantId)).toEqual([]);
  });
});
