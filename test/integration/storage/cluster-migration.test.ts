import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { basicAuth, issueCode, postForm, REDIRECT_URI, registerClient, seedCustomer, type TestClient } from '../../support/oauth-fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { migrateSlot, startRedisCluster, type RedisClusterHandle } from './redis-cluster.js';
import { startAuthorization } from '../../support/browserless.js';

let cluster: RedisClusterHandle;
let server: TestServer;
let tokenEndpoint: string;

beforeAll(async () => {
  cluster = await startRedisCluster(3);
  // What is under test is a slot in motion (TRYAGAIN, ASK), not the command timeout: this process
  // also runs the test, the migration and its clients, and one full run paused it for over 2 s,
  // after which every command waiting at that moment timed out at once (503). 10 s, not 2 s.
  server = await startTestServer({
    config: { redis: { commandTimeoutMs: 10_000 } },
    env: { RENKEI_REDIS_MODE: 'cluster', RENKEI_REDIS_URL: cluster.url },
    logLevel: 'warn',
  });
  const discovery = (await (await fetch(`${server.issuer}/.well-known/openid-configuration`)).json()) as Record<string, string>;
  tokenEndpoint = discovery.token_endpoint!;
}, 60_000);
afterAll(async () => {
  await server?.close();
  await cluster?.stop();
});

async function startGrant(client: TestClient) {
  const sub = await seedCustomer(server);
  const { code, verifier, grantId } = await issueCode(server, client, sub, 'openid offline_access accounts');
  const auth: Record<string, string> = client.clientSecret ? { authorization: basicAuth(client) } : {};
  const issued = await postForm(tokenEndpoint, { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT_URI, client_id: client.clientId }, auth);
  expect(issued.status).toBe(200);
  return { grantId, auth, clientId: client.clientId, refreshToken: issued.json.refresh_token as string };
}

const slotOf = async (grantId: string) => Number(await cluster.nodes[0]!.client.cluster('KEYSLOT', `renkei:{g:${grantId}}:index`));

interface Outcome {
  readonly what: string;
  readonly status: number;
  readonly startedAt: number;
  readonly finishedAt: number;
}

describe('the customer\'s screens on a Redis Cluster', () => {
  it('reads a screen\'s progress before its interaction, one after the other (other slots are on other connections)', async () => {
    expect(server.store.kv.keepsSendingOrder).toBe(false);
    const client = await registerClient(server);
    const { browser, landing } = await startAuthorization(server.issuer, client);
    expect([landing.response.status, await landing.response.text()]).toEqual([200, expect.stringContaining('name="login_id"')]);
    const again = await browser.get(landing.url);
    expect([again.status, await again.text()]).toEqual([200, expect.stringContaining('name="login_id"')]);
  });
});

describe('Redis Cluster slot migration under traffic (SPEC §7)', () => {
  it('serves every refresh and userinfo call of the busy grants while their slots move, without a 5xx', async () => {
    const confidential = await startGrant(await registerClient(server));
    const rotating = await startGrant(await registerClient(server, { isPublic: true }));
    const bystander = await startGrant(await registerClient(server));
    const slots = [...new Set([await slotOf(confidential.grantId), await slotOf(rotating.grantId)])];
    const bystanderMoves = slots.includes(await slotOf(bystander.grantId));

    const outcomes: Outcome[] = [];
    let migrating = true;
    const record = (what: string, status: number, startedAt: number) => outcomes.push({ what, status, startedAt, finishedAt: Date.now() });

    const refreshConfidential = async (grant: typeof confidential, what: string) => {
      while (migrating) {
        const startedAt = Date.now();
        const refreshed = await postForm(tokenEndpoint, { grant_type: 'refresh_token', refresh_token: grant.refreshToken }, grant.auth);
        record(what, refreshed.status, startedAt);
        if (refreshed.status !== 200) continue;
        const userinfoAt = Date.now();
        const me = await fetch(`${server.issuer}/me`, { headers: { authorization: `Bearer ${refreshed.json.access_token as string}` } });
        record(`${what} userinfo`, me.status, userinfoAt);
      }
    };
    const refreshRotating = async () => {
      let refreshToken = rotating.refreshToken;
      while (migrating) {
        const startedAt = Date.now();
        const refreshed = await postForm(tokenEndpoint, { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: rotating.clientId });
        record('rotation', refreshed.status, startedAt);
        if (refreshed.status !== 200) return;
        refreshToken = refreshed.json.refresh_token as string;
      }
    };

    const traffic = Promise.all([
      refreshConfidential(confidential, 'busy'), refreshConfidential(confidential, 'busy'), refreshConfidential(confidential, 'busy'),
      refreshRotating(), refreshConfidential(bystander, 'bystander'),
    ]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const migrationStart = Date.now();
    // one target that owns neither slot: two nodes MIGRATE-ing to each other block each other
    const owners = await Promise.all(slots.map((slot) => cluster.ownerOf(slot)));
    const target = cluster.nodes.find((node) => owners.every((owner) => owner.id !== node.id))!;
    await Promise.all(slots.map(async (slot) => {
      await migrateSlot(cluster, slot, target, { batch: 1, pauseMs: 150, holdMs: 1500 });
      expect((await cluster.ownerOf(slot)).id).toBe(target.id);
    }));
    const migrationEnd = Date.now();
    migrating = false;
    await traffic;

    const during = outcomes.filter((outcome) => outcome.startedAt < migrationEnd && outcome.finishedAt > migrationStart);
    expect(migrationEnd - migrationStart).toBeGreaterThan(3000);
    expect(outcomes.filter((outcome) => outcome.status !== 200)).toEqual([]);
    expect(during.filter((outcome) => outcome.what === 'busy').length).toBeGreaterThanOrEqual(3);
    expect(during.filter((outcome) => outcome.what === 'rotation').length).toBeGreaterThanOrEqual(1);
    if (!bystanderMoves) expect(during.filter((outcome) => outcome.what === 'bystander').length).toBeGreaterThan(20);
  });
});
