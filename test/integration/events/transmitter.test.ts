import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { decodeJwt } from 'jose';
import { callbackParams } from '../../support/browserless.js';
import { completeJourney } from '../../support/journey.js';
import { basicAuth, createCustomer, postForm, REDIRECT_URI, registerClient, type TestClient, type TestCustomer } from '../../support/oauth-fixtures.js';
import { startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../../support/test-server.js';
import { EventReceiver } from './event-receiver.js';
import { fastEventsConfig, isolatedRedis, SESSION_REVOKED, subscribe, VERIFICATION } from './events-kit.js';

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

async function connect(client: TestClient, customer: TestCustomer) {
  const journey = await completeJourney(server.issuer, client, customer, { scope: 'openid offline_access accounts', extra: { prompt: 'consent' } });
  const code = callbackParams(journey.end.url).get('code')!;
  const form = { grant_type: 'authorization_code', code, code_verifier: journey.verifier, redirect_uri: REDIRECT_URI };
  const tokens = await postForm(`${server.issuer}/token`, form, { authorization: basicAuth(client) });
  expect(tokens.status).toBe(200);
  const grant = await server.app.grants.find(customer.sub, client.clientId);
  return { form, tokens: tokens.json, grantId: grant!.grantId, idTokenSub: decodeJwt(String(tokens.json.id_token)).sub! };
}

async function partnerWithReceiver(options: { pairwise?: boolean } = {}) {
  const client = await registerClient(server);
  if (options.pairwise) await server.app.clients.update(client.clientId, { subject_type: 'pairwise' });
  const receiver = await new EventReceiver(server.issuer, client.clientId).start();
  await subscribe(server, client, receiver.url);
  return { client, receiver };
}

describe('SSF transmitter metadata (SSF 1.0 §7.1)', () => {
  it('announces the issuer, its JWKS and RFC 8935 push delivery at /.well-known/ssf-configuration', async () => {
    const response = await fetch(`${server.issuer}/.well-known/ssf-configuration`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      spec_version: '1_0',
      issuer: server.issuer,
      jwks_uri: `${server.issuer}/jwks`,
      delivery_methods_supported: ['urn:ietf:rfc:8935'],
    });
    // cacheable for a while, and saying only that (no HTTP/1.0 Pragma: no-cache beside it)
    expect([response.headers.get('cache-control'), response.headers.get('pragma')]).toEqual(['public, max-age=300', null]);
  });
});

describe('Security Event Tokens pushed to the partner (RFC 8417, RFC 8935)', () => {
  it('sends a verification event when the stream is set up, signed with the issuer key as secevent+jwt', async () => {
    const { client, receiver } = await partnerWithReceiver();
    try {
      await receiver.waitFor((sets) => sets.length === 1);
      const [set] = receiver.accepted;
      expect(set!.header.typ).toBe('secevent+jwt');
      expect(set!.contentType).toBe('application/secevent+jwt');
      expect(set!.authorization).toBe('Bearer receiver-secret');
      expect(set!.payload).toMatchObject({ iss: server.issuer, aud: client.clientId, sub_id: { format: 'opaque', id: client.clientId } });
      expect(Object.keys(set!.payload.events)).toEqual([VERIFICATION]);
      expect(typeof set!.payload.jti).toBe('string');
      expect(Math.abs(set!.payload.iat! - Date.now() / 1000)).toBeLessThan(30);
      expect(set!.payload.sub).toBeUndefined();
    } finally {
      await receiver.close();
    }
  });

  it('sends session-revoked when an operator revokes a grant (initiating_entity admin, reasons in ja and en)', async () => {
    const { client, receiver } = await partnerWithReceiver();
    try {
      const customer = await createCustomer(server);
      const { grantId } = await connect(client, customer);
      const revoked = await fetch(`${server.adminUrl}/admin/v1/grants/${grantId}`, { method: 'DELETE', headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } });
      expect(revoked.status).toBe(204);
      await receiver.waitFor(() => receiver.of(SESSION_REVOKED).length === 1);
      const { payload } = receiver.of(SESSION_REVOKED)[0]!;
      expect(payload.sub_id).toEqual({
        format: 'complex',
        user: { format: 'iss_sub', iss: server.issuer, sub: customer.sub },
        session: { format: 'opaque', id: grantId },
      });
      const event = payload.events[SESSION_REVOKED]!;
      expect(event).toMatchObject({ initiating_entity: 'admin', reason_admin: { en: expect.any(String), ja: expect.any(String) }, reason_user: { en: expect.any(String), ja: expect.any(String) } });
      expect(Math.abs(Number(event.event_timestamp) - Date.now() / 1000)).toBeLessThan(30);
    } finally {
      await receiver.close();
    }
  });

  it('names the customer by the pairwise sub the partner knows from its ID token', async () => {
    const { client, receiver } = await partnerWithReceiver({ pairwise: true });
    try {
      const customer = await createCustomer(server);
      const { grantId, idTokenSub } = await connect(client, customer);
      expect(idTokenSub).not.toBe(customer.sub);
      const revoked = await fetch(`${server.adminUrl}/admin/v1/grants/${grantId}`, { method: 'DELETE', headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } });
      expect(revoked.status).toBe(204);
      await receiver.waitFor(() => receiver.of(SESSION_REVOKED).length === 1);
      expect(receiver.of(SESSION_REVOKED)[0]!.payload.sub_id).toMatchObject({ user: { format: 'iss_sub', iss: server.issuer, sub: idTokenSub } });
    } finally {
      await receiver.close();
    }
  });

  it('sends session-revoked (initiating_entity policy) when a replayed code makes oidc-provider revoke the grant', async () => {
    const { client, receiver } = await partnerWithReceiver();
    try {
      const customer = await createCustomer(server);
      const { form, grantId } = await connect(client, customer);
      const replay = await postForm(`${server.issuer}/token`, form, { authorization: basicAuth(client) });
      expect([replay.status, replay.json.error]).toEqual([400, 'invalid_grant']);
      await receiver.waitFor(() => receiver.of(SESSION_REVOKED).length === 1);
      const { payload } = receiver.of(SESSION_REVOKED)[0]!;
      expect(payload.sub_id).toMatchObject({ session: { format: 'opaque', id: grantId }, user: { sub: customer.sub } });
      expect(payload.events[SESSION_REVOKED]).toMatchObject({ initiating_entity: 'policy' });
      expect(await server.app.grants.find(customer.sub, client.clientId)).toBeUndefined();
    } finally {
      await receiver.close();
    }
  });

  it('sends nothing to a partner without an events endpoint', async () => {
    const client = await registerClient(server);
    const customer = await createCustomer(server);
    const { grantId } = await connect(client, customer);
    const revoked = await fetch(`${server.adminUrl}/admin/v1/grants/${grantId}`, { method: 'DELETE', headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } });
    expect(revoked.status).toBe(204);
    expect(await server.app.eventOutbox.list(client.clientId)).toEqual({ queued: [], delivered: [], dead: [] });
  });
});
