/**
 * `renkei client rotate-secret ID --grace-hours N`: during the grace both the new and the previous
 * secret authenticate the client (oidc-provider's own comparison, given the secret the request
 * presents); after it, and without a grace, the previous one is `401 invalid_client`.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { AdapterPayload } from 'oidc-provider';
import type { ClientRecord } from '../../../src/clients/client-record.js';
import { basicAuth, postForm, registerClient, type TestClient } from '../../support/oauth-fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { discovery, expectNoSecrets, expectUsageError, okJson, renkei, transcript } from './cli-kit.js';

let server: TestServer;
let tokenEndpoint: string;

beforeAll(async () => {
  server = await startTestServer();
  tokenEndpoint = (await discovery(server)).token_endpoint!;
});
afterAll(() => server.close());

interface Rotated {
  client_id: string;
  client_secret: string;
  client_secret_expires_at: number;
  previous_secret_valid_until: string | null;
}

/** A token request that only a client that authenticated gets past: 400 invalid_grant, else 401 invalid_client. */
async function authenticates(client: TestClient, secret: string | undefined): Promise<boolean> {
  const { status, json } = await postForm(tokenEndpoint, { grant_type: 'refresh_token', refresh_token: 'not-a-token' }, { authorization: basicAuth({ ...client, clientSecret: secret }) });
  if (status === 401) {
    expect(json.error).toBe('invalid_client');
    return false;
  }
  expect({ status, error: json.error }).toEqual({ status: 400, error: 'invalid_grant' });
  return true;
}

const rotate = async (client: TestClient, ...flags: string[]) => okJson<Rotated>(await renkei(server, ['client', 'rotate-secret', client.clientId, ...flags, '--json']));

/** Moves the grace period's end, as the passing of time would (the check reads the stored expiry). */
async function endGrace(clientId: string): Promise<void> {
  const record = (await server.app.clients.get(clientId))!;
  expect(record.previous_client_secret_expires_at).toBeGreaterThan(Date.now() / 1000);
  const adapter = server.app.store.adapterFactory('Client');
  await adapter.upsert(clientId, { ...record, previous_client_secret_expires_at: Math.floor(Date.now() / 1000) - 1 } satisfies ClientRecord as unknown as AdapterPayload);
}

describe('renkei client rotate-secret --grace-hours', () => {
  it('keeps the previous secret valid during the grace, then only the new one works', async () => {
    const client = await registerClient(server);
    const before = Date.now();
    const rotated = await rotate(client, '--grace-hours', '24');
    expect(rotated.client_secret).not.toBe(client.clientSecret);
    expect(rotated.client_secret_expires_at).toBe(0);
    const until = Date.parse(rotated.previous_secret_valid_until!);
    expect(until).toBeGreaterThanOrEqual(before + 24 * 3_600_000 - 2000);
    expect(until).toBeLessThanOrEqual(Date.now() + 24 * 3_600_000);

    expect(await authenticates(client, rotated.client_secret)).toBe(true);
    expect(await authenticates(client, client.clientSecret)).toBe(true);
    expect(await authenticates(client, 'neither-of-the-two')).toBe(false);

    // a metadata change does not end the grace
    okJson(await renkei(server, ['client', 'update', client.clientId, '--name', '改名した家計簿', '--json']));
    expect(await authenticates(client, client.clientSecret)).toBe(true);

    await endGrace(client.clientId);
    expect(await authenticates(client, client.clientSecret)).toBe(false);
    expect(await authenticates(client, rotated.client_secret)).toBe(true);
  });

  it('without a grace, the previous secret stops at once (and a new rotation ends an earlier grace)', async () => {
    const client = await registerClient(server);
    const first = await rotate(client, '--grace-hours', '1');
    const second = await rotate(client);
    expect(second.previous_secret_valid_until).toBeNull();
    expect(await authenticates(client, client.clientSecret)).toBe(false);
    expect(await authenticates(client, first.client_secret)).toBe(false);
    expect(await authenticates(client, second.client_secret)).toBe(true);
  });

  it('never shows the sealed secrets, and refuses a grace that is not a number of hours', async () => {
    const client = await registerClient(server);
    await rotate(client, '--grace-hours', '0.5');
    const shown = await renkei(server, ['client', 'show', client.clientId, '--json']);
    expect(shown.stdout).toContain('previous_client_secret_expires_at');
    expect(shown.stdout).not.toMatch(/sealed|ciphertext/);
    expectUsageError(await renkei(server, ['client', 'rotate-secret', client.clientId, '--grace-hours', 'soon']), '--grace-hours must be a number of hours from 0 to 720 (not "soon")');
    expectUsageError(await renkei(server, ['client', 'rotate-secret', client.clientId, '--grace-hours', '721']), /--grace-hours must be/);
    expectNoSecrets([shown.stdout], [client.clientSecret!]);
  });
});

afterAll(() => expect(transcript.length).toBeGreaterThan(0));
