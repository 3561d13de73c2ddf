import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { createCustomer, registerClient } from '../../support/oauth-fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { EventReceiver } from './event-receiver.js';
import { fastEventsConfig, SESSION_REVOKED, subscribe, VERIFICATION } from './events-kit.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ config: fastEventsConfig(), env: { RENKEI_REDIS_URL: '' } });
});
afterAll(() => server.close());

describe('events on the in-memory development store', () => {
  it('are queued in process and pushed the same way, retried after a failure', async () => {
    expect(server.store.kind).toBe('memory');
    const client = await registerClient(server);
    const receiver = await new EventReceiver(server.issuer, client.clientId).start();
    try {
      receiver.mode = 'fail';
      await subscribe(server, client, receiver.url);
      const customer = await createCustomer(server);
      await server.app.events.sessionRevoked(customer.sub, { clientId: client.clientId, grantId: randomUUID() }, 'customer');
      while (receiver.attempts < 2) await new Promise((r) => setTimeout(r, 20));
      receiver.mode = 'accept';
      await receiver.waitFor((sets) => sets.length === 2);
      expect(receiver.accepted.map((s) => Object.keys(s.payload.events)[0])).toEqual([VERIFICATION, SESSION_REVOKED]);
    } finally {
      await receiver.close();
    }
  });
});
