/**
 * In production a partner's SSF receiver may not be on a loopback, private or reserved address: an
 * operator's credential must not be able to point signed SETs into the bank's own network.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pushSet } from '../../../src/events/push-delivery.js';
import { registerClient } from '../../support/oauth-fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { EventReceiver } from './event-receiver.js';
import { fastEventsConfig, isolatedRedis } from './events-kit.js';

let redis: Awaited<ReturnType<typeof isolatedRedis>>;
let receiver: EventReceiver;
beforeAll(async () => {
  redis = await isolatedRedis();
  receiver = await new EventReceiver('https://auth.example-shinkumi.jp', 'nobody').start();
});
afterAll(async () => {
  await receiver.close();
  await redis.stop();
});

describe('the push to a receiver (RFC 8935) with public addresses only', () => {
  it('refuses a loopback receiver by literal and by name without connecting; without the rule it is reached', async () => {
    const port = new URL(receiver.url).port;
    const byLiteral = await pushSet(receiver.url, 'a.b.c', { timeoutMs: 1000, publicAddressesOnly: true });
    expect(byLiteral).toEqual({ kind: 'failed', reason: 'refused: 127.0.0.1 is a loopback, private or reserved address' });
    const byName = await pushSet(`http://localhost:${port}/events`, 'a.b.c', { timeoutMs: 1000, publicAddressesOnly: true });
    expect(byName).toMatchObject({ kind: 'failed', reason: expect.stringMatching(/^refused: localhost resolves to (127\.0\.0\.1|::1), a loopback, private or reserved address$/) });
    expect(receiver.attempts).toBe(0);

    // outside production (a receiver on the developer's machine): reached, and its refusal of a bad SET read
    expect(await pushSet(receiver.url, 'a.b.c', { timeoutMs: 1000 })).toMatchObject({ kind: 'rejected', status: 400, err: 'invalid_request' });
    expect(receiver.attempts).toBe(1);
  });

  it('is what a production server does: the verification event to a receiver on localhost fails as refused, nothing is sent', async () => {
    const server: TestServer = await startTestServer({
      config: fastEventsConfig(),
      env: { NODE_ENV: 'production', RENKEI_ISSUER: 'https://auth.example-shinkumi.jp', RENKEI_TRUST_PROXY: '1', RENKEI_REDIS_URL: redis.url },
    });
    try {
      const before = receiver.attempts;
      const client = await registerClient(server);
      // an address literal that can never be sent to is refused when it is registered
      for (const [endpoint, address] of [['https://169.254.169.254/latest', '169.254.169.254'], ['https://[fd00::1]/events', 'fd00::1'], ['https://10.0.0.1/ev', '10.0.0.1']]) {
        await expect(server.app.clients.update(client.clientId, { events_endpoint: endpoint })).rejects.toThrow(`events_endpoint must be reachable on a public address: ${address} is a loopback, private or reserved address`);
      }
      // a name is judged by what it resolves to, when the event is sent
      await server.app.clients.update(client.clientId, { events_endpoint: `https://localhost:${new URL(receiver.url).port}/events` });
      const failures = () => server.logs.events().filter((line) => line.event === 'event.delivery_failed' && line.client_id === client.clientId);
      for (let polls = 0; polls < 500 && failures().length === 0; polls += 1) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(failures()[0]).toMatchObject({ reason: expect.stringMatching(/^refused: localhost resolves to /) });
      expect(receiver.attempts).toBe(before);
    } finally {
      await server.close();
    }
  });
});
