import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Browserless, callbackParams, csrfOf, positionsOf } from '../../support/browserless.js';
import { completeJourney } from '../../support/journey.js';
import { basicAuth, createCustomer, postForm, REDIRECT_URI, registerClient, type TestClient, type TestCustomer } from '../../support/oauth-fixtures.js';
import { startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../../support/test-server.js';
import { EventReceiver } from './event-receiver.js';
import { CREDENTIAL_CHANGE, fastEventsConfig, isolatedRedis, SESSION_REVOKED, subscribe } from './events-kit.js';

let server: TestServer;
let redis: Awaited<ReturnType<typeof isolatedRedis>>;
beforeAll(async () => {
  redis = await isolatedRedis();
  server = await startTestServer({ config: fastEventsConfig(), env: { RENKEI_REDIS_URL: redis.url } });
});
afterAll(async () => {
  await server.close();
  await redis.stop();
});

async function connect(client: TestClient, customer: TestCustomer): Promise<string> {
  const journey = await completeJourney(server.issuer, client, customer, { scope: 'openid offline_access accounts', extra: { prompt: 'consent' } });
  const code = callbackParams(journey.end.url).get('code')!;
  const tokens = await postForm(`${server.issuer}/token`, { grant_type: 'authorization_code', code, code_verifier: journey.verifier, redirect_uri: REDIRECT_URI }, { authorization: basicAuth(client) });
  expect(tokens.status).toBe(200);
  return (await server.app.grants.find(customer.sub, client.clientId))!.grantId;
}

const admin = (path: string, method: string, body?: unknown) =>
  fetch(`${server.adminUrl}/admin/v1${path}`, { method, headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });

let receiver: EventReceiver;
let client: TestClient;
beforeAll(async () => {
  client = await registerClient(server);
  receiver = await new EventReceiver(server.issuer, client.clientId).start();
  await subscribe(server, client, receiver.url);
});
afterAll(() => receiver.close());

describe('what ends a grant reaches the partner as CAEP session-revoked', () => {
  it('連携解除 on 連携サービス管理: initiating_entity user', async () => {
    const customer = await createCustomer(server);
    const grantId = await connect(client, customer);
    const browser = new Browserless(server.issuer);
    let html = await (await browser.get('/account/connections')).text();
    expect((await browser.post('/account/connections/login', { csrf: csrfOf(html), login_id: customer.loginId, password: customer.password })).status).toBe(303);
    html = await (await browser.get('/account/connections')).text();
    const digits = Object.fromEntries(positionsOf(html).map((p) => [`digit_${p}`, customer.userNumber[p - 1]!]));
    expect((await browser.post('/account/connections/digits', { csrf: csrfOf(html), ...digits })).status).toBe(303);
    html = await (await browser.get('/account/connections')).text();
    expect((await browser.post('/account/connections/revoke', { csrf: csrfOf(html), client_id: client.clientId })).status).toBe(303);

    await receiver.waitFor(() => receiver.of(SESSION_REVOKED).some((s) => (s.payload.sub_id as { session: { id: string } }).session.id === grantId));
    const set = receiver.of(SESSION_REVOKED).find((s) => (s.payload.sub_id as { session: { id: string } }).session.id === grantId)!;
    expect(set.payload.sub_id).toMatchObject({ format: 'complex', user: { format: 'iss_sub', iss: server.issuer, sub: customer.sub } });
    expect(set.payload.events[SESSION_REVOKED]).toMatchObject({ initiating_entity: 'user', reason_user: { ja: expect.any(String), en: expect.any(String) } });
  });

  it("the partner's own revocation of its refresh token (RFC 7009): session-revoked, and an audit grant.revoked naming the customer", async () => {
    const customer = await createCustomer(server);
    const journey = await completeJourney(server.issuer, client, customer, { scope: 'openid offline_access accounts', extra: { prompt: 'consent' } });
    const code = callbackParams(journey.end.url).get('code')!;
    const tokens = await postForm(`${server.issuer}/token`, { grant_type: 'authorization_code', code, code_verifier: journey.verifier, redirect_uri: REDIRECT_URI }, { authorization: basicAuth(client) });
    const grantId = (await server.app.grants.find(customer.sub, client.clientId))!.grantId;
    const revoked = await postForm(`${server.issuer}/token/revocation`, { token: String(tokens.json.refresh_token), token_type_hint: 'refresh_token' }, { authorization: basicAuth(client) });
    expect(revoked.status).toBe(200);

    const sessionOf = (s: { payload: Record<string, unknown> }) => (s.payload.sub_id as { session: { id: string } }).session.id;
    await receiver.waitFor(() => receiver.of(SESSION_REVOKED).some((s) => sessionOf(s) === grantId));
    const event = receiver.of(SESSION_REVOKED).find((s) => sessionOf(s) === grantId)!.payload.events as Record<string, { reason_admin: { en: string } }>;
    // the same reason whichever of its tokens the partner revoked
    expect(event[SESSION_REVOKED]!.reason_admin.en).toBe('The partner revoked one of its tokens (an access or refresh token).');
    const audited = () => server.logs.events().filter((line) => line.event === 'grant.revoked' && line.grant_id === grantId);
    await receiver.waitFor(() => audited().length > 0);
    expect(audited()).toEqual([expect.objectContaining({ audit: true, sub: customer.sub, login_id: customer.loginId, client_id: client.clientId, reason: 'token_revoked', ip: expect.any(String) })]);
  });

  it('a password change: credential-change (no secret in it), then session-revoked with initiating_entity policy', async () => {
    const customer = await createCustomer(server);
    const grantId = await connect(client, customer);
    const newPassword = 'a brand new password 2027';
    expect((await admin(`/users/${customer.loginId}/password`, 'PUT', { password: newPassword })).status).toBe(200);

    const forGrant = () => receiver.accepted.filter((s) => (s.payload.sub_id as { session?: { id: string } }).session?.id === grantId);
    await receiver.waitFor(() => forGrant().length === 2);
    const [change, revoked] = forGrant();
    expect(change!.payload.events[CREDENTIAL_CHANGE]).toMatchObject({ credential_type: 'password', change_type: 'update', initiating_entity: 'admin' });
    expect(JSON.stringify(change!.payload)).not.toContain(newPassword);
    expect(revoked!.payload.events[SESSION_REVOKED]).toMatchObject({ initiating_entity: 'policy' });
  });

  it('a new 利用者番号 or secret answer: credential-change pin / password, then session-revoked', async () => {
    const customer = await createCustomer(server);
    const grantId = await connect(client, customer);
    expect((await admin(`/users/${customer.loginId}`, 'PATCH', { user_number: '27182818', answer: 'あおいろ' })).status).toBe(200);
    const forGrant = () => receiver.accepted.filter((s) => (s.payload.sub_id as { session?: { id: string } }).session?.id === grantId);
    await receiver.waitFor(() => forGrant().length === 3);
    const types = forGrant().map((s) => Object.keys(s.payload.events)[0]);
    expect(types).toEqual([CREDENTIAL_CHANGE, CREDENTIAL_CHANGE, SESSION_REVOKED]);
    expect(forGrant().map((s) => s.payload.events[CREDENTIAL_CHANGE]?.credential_type).slice(0, 2)).toEqual(['password', 'pin']);
    expect(JSON.stringify(forGrant().map((s) => s.payload))).not.toMatch(/27182818|あおいろ/);
  });

  it('an import with --update that changes a password: credential-change, then session-revoked; the same secrets again: nothing', async () => {
    const customer = await createCustomer(server);
    const grantId = await connect(client, customer);
    const row = (password: string) => ({ line: 1, login_id: customer.loginId, user_number: customer.userNumber, question: customer.question, password, answer: customer.answer });
    const forGrant = () => receiver.accepted.filter((s) => (s.payload.sub_id as { session?: { id: string } }).session?.id === grantId);

    expect((await admin('/users/import', 'POST', { rows: [row(customer.password)], update: true })).status).toBe(200);
    expect((await server.app.grants.find(customer.sub, client.clientId))?.grantId).toBe(grantId);

    const newPassword = 'imported anew 2027';
    expect((await admin('/users/import', 'POST', { rows: [row(newPassword)], update: true })).status).toBe(200);
    await receiver.waitFor(() => forGrant().length === 2);
    const [change, revoked] = forGrant();
    expect(change!.payload.events[CREDENTIAL_CHANGE]).toMatchObject({ credential_type: 'password', change_type: 'update' });
    expect(JSON.stringify(change!.payload)).not.toContain(newPassword);
    expect(Object.keys(revoked!.payload.events)).toEqual([SESSION_REVOKED]);
  });

  it('grant expiry: the worker notices the expired grant and sends session-revoked with initiating_entity policy', async () => {
    const customer = await createCustomer(server);
    const grantId = await connect(client, customer);
    // the grant's expiry as tracked, moved to the past (the record itself would vanish at its TTL)
    await server.app.grantExpiries.track({ grantId, clientId: client.clientId, sub: customer.sub }, Date.now() - 1000);
    await server.app.store.adapterFactory('Grant').destroy(grantId);
    await receiver.waitFor(() => receiver.of(SESSION_REVOKED).some((s) => (s.payload.sub_id as { session: { id: string } }).session.id === grantId));
    const set = receiver.of(SESSION_REVOKED).find((s) => (s.payload.sub_id as { session: { id: string } }).session.id === grantId)!;
    expect(set.payload.events[SESSION_REVOKED]).toMatchObject({ initiating_entity: 'policy', reason_admin: { en: 'The grant expired.' } });
    expect(await server.app.grants.find(customer.sub, client.clientId)).toBeUndefined();
  });
});
