/**
 * Client records are cached in each instance and dropped on every instance when staff change
 * them (a Redis pub/sub channel): disabling, rotating or deleting a client on one instance takes
 * effect on another at once, also after the other instance lost its channel connection (messages
 * sent meanwhile are lost, so it reads through until it hears the channel again).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { basicAuth, postForm, registerClient, type TestClient } from '../../support/oauth-fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { eventually } from '../../support/eventually.js';

let first: TestServer;
let second: TestServer;
beforeAll(async () => {
  [first, second] = await Promise.all([startTestServer(), startTestServer()]);
});
afterAll(async () => {
  await Promise.all([first.close(), second.close()]);
});

/** Introspection of a made-up token: 200 for an authenticated client, 401 invalid_client otherwise. */
const introspect = (server: TestServer, client: TestClient) =>
  postForm(`${server.issuer}/token/introspection`, { token: 'not-a-token' }, { authorization: basicAuth(client) });

describe('client records cached per instance', () => {
  it('refuses a client disabled on one instance on the other at once, and accepts it again once re-enabled', async () => {
    const client = await registerClient(first);
    // the second instance has the client cached
    expect((await introspect(second, client)).status).toBe(200);
    expect((await introspect(second, client)).status).toBe(200);

    await first.app.clients.setDisabled(client.clientId, true);
    expect(await eventually(async () => (await introspect(second, client)).status, 401)).toBe(401);
    expect((await introspect(second, client)).json.error).toBe('invalid_client');

    await first.app.clients.setDisabled(client.clientId, false);
    expect(await eventually(async () => (await introspect(second, client)).status, 200)).toBe(200);
  });

  it('takes a rotated secret on the other instance at once, the previous one during its grace period only', async () => {
    const client = await registerClient(first);
    expect((await introspect(second, client)).status).toBe(200);

    const secret = await first.app.clients.rotateSecret(client.clientId, { graceSeconds: 600 });
    const rotated = { ...client, clientSecret: secret };
    expect(await eventually(async () => (await introspect(second, rotated)).status, 200)).toBe(200);
    expect((await introspect(second, client)).status).toBe(200);

    await first.app.clients.rotateSecret(client.clientId);
    expect(await eventually(async () => (await introspect(second, client)).status, 401)).toBe(401);
    expect((await introspect(second, rotated)).status).toBe(401);
  });

  it('refuses a client deleted on one instance on the other', async () => {
    const client = await registerClient(first);
    expect((await introspect(second, client)).status).toBe(200);
    await first.app.clients.delete(client.clientId);
    expect(await eventually(async () => (await introspect(second, client)).status, 401)).toBe(401);
  });

  it('forgets what it held when its channel connection drops, so that a change announced meanwhile is not missed', async () => {
    const client = await registerClient(first);
    expect((await introspect(second, client)).status).toBe(200);

    const admin = new Redis(process.env.RENKEI_TEST_REDIS_URL!);
    try {
      // every instance loses its channel connection; the announcement of the change below reaches nobody
      await admin.client('KILL', 'TYPE', 'pubsub');
      await first.app.clients.setDisabled(client.clientId, true);
    } finally {
      admin.disconnect();
    }
    expect(await eventually(async () => (await introspect(second, client)).status, 401)).toBe(401);
    // once it hears the channel again, changes reach it as before
    await first.app.clients.setDisabled(client.clientId, false);
    expect(await eventually(async () => (await introspect(second, client)).status, 200)).toBe(200);
    await first.app.clients.setDisabled(client.clientId, true);
    expect(await eventually(async () => (await introspect(second, client)).status, 401)).toBe(401);
  });
});

describe('client records cached in the in-memory store', () => {
  it('refuses a disabled client at once', async () => {
    const server = await startTestServer({ env: { RENKEI_REDIS_URL: '' } });
    try {
      const client = await registerClient(server);
      expect((await introspect(server, client)).status).toBe(200);
      await server.app.clients.setDisabled(client.clientId, true);
      expect((await introspect(server, client)).status).toBe(401);
    } finally {
      await server.close();
    }
  });
});
