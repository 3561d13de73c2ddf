import type { TestServer } from '../../support/test-server.js';
import type { TestClient } from '../../support/oauth-fixtures.js';
import { startRedisServer, type RedisServerHandle } from '../../support/redis-server.mjs';

export const SESSION_REVOKED = 'https://schemas.openid.net/secevent/caep/event-type/session-revoked';
export const CREDENTIAL_CHANGE = 'https://schemas.openid.net/secevent/caep/event-type/credential-change';
export const VERIFICATION = 'https://schemas.openid.net/secevent/ssf/event-type/verification';

/** Config (startTestServer's `config`) with fast event delivery (short poll, backoff and timeout) for tests. */
export function fastEventsConfig(events: Record<string, number> = {}): Record<string, unknown> {
  return { events: { pollIntervalMs: 25, initialBackoffMs: 50, maxBackoffSeconds: 1, timeoutMs: 500, ...events } };
}

/** Points the partner's SSF stream at the receiver, as `renkei client update --events-endpoint` does. */
export async function subscribe(server: TestServer, client: TestClient, url: string, authorization = 'Bearer receiver-secret'): Promise<void> {
  await server.app.clients.update(client.clientId, { events_endpoint: url, events_authorization: authorization });
}

/**
 * A redis-server of this test file only: every test server runs a delivery worker, so on the run's
 * shared Redis another file's instances would deliver (and count, and log) this file's events.
 */
export function isolatedRedis(): Promise<RedisServerHandle> {
  return startRedisServer();
}
