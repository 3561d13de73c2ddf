import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { callbackParams, positionsOf } from '../../support/browserless.js';
import { basicAuth, createCustomer, postForm, type TestClient } from '../../support/oauth-fixtures.js';
import type { TestServer } from '../../support/test-server.js';
import { authorize, ClientBrowser, exchangeCode, postAndLand, registerPartner, startJourneyServer } from '../journey/journey-kit.js';
import { completeJourney } from '../../support/journey.js';
import { isolatedRedis } from '../events/events-kit.js';

/**
 * The business metrics of SPEC §6, scraped from /metrics after real actions: a metric moves by
 * exactly what the test did (counters are read before and after each action).
 */
let server: TestServer;
let client: TestClient;
// on the run's shared Redis, another file's event worker could sweep this file's expired grant
// first and count it in its own process's metrics
let redis: Awaited<ReturnType<typeof isolatedRedis>>;
beforeAll(async () => {
  redis = await isolatedRedis();
  server = await startJourneyServer({
    throttle: { failuresPerIp: 3, windowSeconds: 600 },
    clientThrottle: { failuresPerClient: 2, failuresPerIp: 100_000, windowSeconds: 300 },
    risk: { additionalAuth: 'always', deviceTtlDays: 90 },
    // the event worker's rounds also sweep expired grants
    events: { pollIntervalMs: 25 },
  }, { RENKEI_REDIS_URL: redis.url });
  client = await registerPartner(server);
});
afterAll(async () => {
  await server.close();
  await redis.stop();
});

async function scrape(token = server.adminToken.token): Promise<string> {
  const response = await fetch(`${server.adminUrl}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  return response.text();
}

/** The value of one series (0 when absent), labels given exactly as Prometheus prints them. */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

/** How much each series moved while `action` ran. */
async function delta(series: readonly string[], action: () => Promise<void>): Promise<number[]> {
  const before = await scrape();
  await action();
  const after = await scrape();
  return series.map((s) => sample(after, s) - sample(before, s));
}

const admin = (method: string, path: string, body?: unknown, token = server.adminToken.token) =>
  fetch(`${server.adminUrl}/admin/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });

const wrongDigits = (userNumber: string, html: string) =>
  Object.fromEntries(positionsOf(html).map((p) => [`digit_${p}`, String((Number(userNumber[p - 1]) + 1) % 10)]));

describe('/metrics after real actions', () => {
  it('counts failures by factor: password, digits, answer', async () => {
    const customer = await createCustomer(server);
    const moved = await delta(
      ['renkei_factor_failures_total{factor="password"}', 'renkei_factor_failures_total{factor="digits"}', 'renkei_factor_failures_total{factor="answer"}'],
      async () => {
        const { browser, page } = await authorize(server, client);
        const retry = await postAndLand(browser, page, 'login', { login_id: customer.loginId, password: 'wrong password!' });
        expect(retry.response.status).toBe(401);
        const digits = await postAndLand(browser, retry, 'login', { login_id: customer.loginId, password: customer.password });
        const digitsRetry = await postAndLand(browser, digits, 'digits', wrongDigits(customer.userNumber, digits.html));
        expect(digitsRetry.response.status).toBe(401);
        const right = Object.fromEntries(positionsOf(digitsRetry.html).map((p) => [`digit_${p}`, customer.userNumber[p - 1]!]));
        const additional = await postAndLand(browser, digitsRetry, 'digits', right);
        expect(additional.html).toContain('追加認証入力');
        const answerRetry = await postAndLand(browser, additional, 'additional', { answer: 'ちがう' });
        expect(answerRetry.response.status).toBe(401);
      },
    );
    expect(moved).toEqual([1, 1, 1]);
  });

  it('counts consents granted and denied, and tokens issued per client', async () => {
    const customer = await createCustomer(server);
    const tokens = `renkei_tokens_issued_total{grant_type="authorization_code",client_id="${client.clientId}"}`;
    const moved = await delta(['renkei_consents_total{decision="granted"}', 'renkei_consents_total{decision="denied"}', tokens], async () => {
      const journey = await completeJourney(server.issuer, client, customer, { browser: new ClientBrowser(server.issuer) });
      expect((await exchangeCode(server, client, callbackParams(journey.end.url).get('code')!, journey.verifier)).status).toBe(200);

      const other = await createCustomer(server);
      const { browser, page } = await authorize(server, client);
      const digits = await postAndLand(browser, page, 'login', { login_id: other.loginId, password: other.password });
      const right = Object.fromEntries(positionsOf(digits.html).map((p) => [`digit_${p}`, other.userNumber[p - 1]!]));
      const additional = await postAndLand(browser, digits, 'digits', right);
      const consent = await postAndLand(browser, additional, 'additional', { answer: other.answer });
      expect(consent.html).toContain('API連携認証（情報連携認可）');
      const denied = await postAndLand(browser, consent, 'abort', {});
      expect(callbackParams(denied.url).get('error')).toBe('access_denied');
    });
    expect(moved).toEqual([1, 1, 1]);
  });

  it('counts requests refused by the per-IP customer throttle and by the token-endpoint failure budget', async () => {
    const customer = await createCustomer(server);
    const ip = '10.250.1.1';
    const moved = await delta(['renkei_throttled_requests_total{limiter="customer_ip"}', 'renkei_throttled_requests_total{limiter="client_failures"}'], async () => {
      const browser = new ClientBrowser(server.issuer, ip);
      const { page } = await authorize(server, client, { browser });
      let current = page;
      for (const expected of [401, 401, 401, 429]) {
        current = await postAndLand(browser, current, 'login', { login_id: customer.loginId, password: 'wrong password!' });
        expect(current.response.status).toBe(expected);
      }
      const badClient = { authorization: basicAuth({ clientId: client.clientId, clientSecret: 'not the secret' }), 'x-forwarded-for': '10.250.2.2' };
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 3; attempt++) {
        statuses.push((await postForm(`${server.issuer}/token`, { grant_type: 'authorization_code', code: 'x', redirect_uri: 'https://partner.example/callback' }, badClient)).status);
      }
      expect(statuses).toEqual([401, 401, 429]);
    });
    expect(moved).toEqual([1, 1]);
  });

  it('counts revocations by cause: admin, credential change, replay', async () => {
    const moved = await delta(
      ['renkei_grant_revocations_total{cause="admin"}', 'renkei_grant_revocations_total{cause="credential_change"}', 'renkei_grant_revocations_total{cause="replay"}'],
      async () => {
        const byAdmin = await createCustomer(server);
        await completeJourney(server.issuer, client, byAdmin, { browser: new ClientBrowser(server.issuer) });
        const [grant] = await server.app.grants.listForCustomer(byAdmin.sub);
        expect((await admin('DELETE', `/grants/${grant!.grantId}`)).status).toBeLessThan(300);

        const changed = await createCustomer(server);
        await completeJourney(server.issuer, client, changed, { browser: new ClientBrowser(server.issuer) });
        expect((await admin('PUT', `/users/${changed.loginId}/password`, { password: 'a brand new passphrase 2026' })).status).toBe(200);

        const replayed = await createCustomer(server);
        const journey = await completeJourney(server.issuer, client, replayed, { browser: new ClientBrowser(server.issuer) });
        const code = callbackParams(journey.end.url).get('code')!;
        expect((await exchangeCode(server, client, code, journey.verifier)).status).toBe(200);
        const replay = await exchangeCode(server, client, code, journey.verifier);
        expect(replay.json.error).toBe('invalid_grant');
      },
    );
    expect(moved).toEqual([1, 1, 1]);
  });

  it('counts a grant that ended by expiry (found by the event worker\'s sweep)', async () => {
    const series = 'renkei_grant_revocations_total{cause="expiry"}';
    const before = sample(await scrape(), series);
    const customer = await createCustomer(server);
    await completeJourney(server.issuer, client, customer, { browser: new ClientBrowser(server.issuer) });
    const { grantId } = (await server.app.grants.find(customer.sub, client.clientId))!;
    // the grant's expiry as tracked, moved to the past (the record itself would vanish at its TTL)
    await server.app.grantExpiries.track({ grantId, clientId: client.clientId, sub: customer.sub }, Date.now() - 1000);
    await server.app.store.adapterFactory('Grant').destroy(grantId);
    const deadline = Date.now() + 5000;
    while (sample(await scrape(), series) === before && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(sample(await scrape(), series) - before).toBe(1);
  });

  it('counts admin actions by the acting role, refusals included; any staff role may scrape', async () => {
    const name = `ops-${Date.now()}`;
    const created = await admin('POST', '/staff', { name, role: 'operator' });
    expect(created.status).toBe(201);
    const { token } = (await created.json()) as { token: string };
    const moved = await delta(['renkei_admin_actions_total{role="operator",outcome="success"}', 'renkei_admin_actions_total{role="operator",outcome="refused"}'], async () => {
      const customer = await createCustomer(server);
      expect((await admin('POST', `/users/${customer.loginId}/lock`, undefined, token)).status).toBe(200);
      expect((await admin('POST', '/staff', { name: `${name}-x`, role: 'admin' }, token)).status).toBe(403);
    });
    expect(moved).toEqual([1, 1]);

    const auditor = (await (await admin('POST', '/staff', { name: `${name}-a`, role: 'auditor' })).json()) as { token: string };
    expect(await scrape(auditor.token)).toContain('renkei_admin_actions_total');
    expect((await fetch(`${server.adminUrl}/metrics`)).status).toBe(401);
  });

  it('reports the age of each signing key from the keys/jwks.json schedule', async () => {
    const text = await scrape();
    const ages = text.split('\n').filter((l) => l.startsWith('renkei_signing_key_age_seconds{'));
    expect(ages.map((l) => /alg="([^"]+)"/.exec(l)![1]).sort()).toEqual(['ES256', 'EdDSA', 'PS256', 'RS256']);
    for (const line of ages) expect(Number(line.split(' ').pop())).toBeGreaterThanOrEqual(0);
  });
});
