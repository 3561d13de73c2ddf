/**
 * `renkei client show ID` (human output): the partner's Grant Management switch and its Shared
 * Signals stream — events endpoint, whether an Authorization value is stored (never the value), and
 * the events it asked for.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { EventReceiver } from '../events/event-receiver.js';
import { expectNoSecrets, okJson, renkei, transcript, writeJson, type CliResult } from './cli-kit.js';

let server: TestServer;
let receiver: EventReceiver;
beforeAll(async () => {
  server = await startTestServer();
  receiver = await new EventReceiver(server.issuer, 'unused').start();
});
afterAll(async () => {
  await receiver.close();
  await server.close();
});

const cli = (...args: string[]) => renkei(server, args);
const EVENTS_AUTHORIZATION = 'Bearer receiver-secret-7f3a9c';

async function createClient(...extra: string[]): Promise<string> {
  return okJson<{ client_id: string }>(await cli('client', 'create', '--name', '家計簿アプリ', '--redirect-uri', 'https://kakeibo.example/cb', '--json', ...extra)).client_id;
}

/** `label  value` lines of the human output, by label. */
function shown(result: CliResult): Record<string, string> {
  expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
  return Object.fromEntries(result.stdout.split('\n').flatMap((line) => {
    const match = /^(\S+)\s{2,}(.*)$/.exec(line);
    return match ? [[match[1]!, match[2]!]] : [];
  }));
}

describe('renkei client show: grant management and events', () => {
  it('says grant_management is off and there are no events for a plain partner', async () => {
    const fields = shown(await cli('client', 'show', await createClient()));
    expect(fields).toMatchObject({ grant_management: 'no', events_endpoint: 'none (no events)' });
    expect(fields.events_authorization).toBeUndefined();
    expect(fields.events_requested).toBeUndefined();
  });

  it('shows the events endpoint, that an Authorization is set without its value, and the events asked for', async () => {
    const clientId = await createClient('--grant-management');
    const updated = await cli('client', 'update', clientId, '--events-endpoint', receiver.url, '--events-authorization', EVENTS_AUTHORIZATION, '--events', 'session-revoked', '--json');
    expect([updated.status, updated.stderr]).toEqual([0, expect.stringMatching(/^renkei: warning: --events-authorization is visible in the process list/)]);
    expect(updated.stderr).not.toContain(EVENTS_AUTHORIZATION);
    const fields = shown(await cli('client', 'show', clientId));
    expect(fields).toMatchObject({
      grant_management: 'yes',
      events_endpoint: receiver.url,
      events_authorization: 'set (not shown)',
      events_requested: 'session-revoked',
    });
  });

  it('lists both event types by default and says when no Authorization is set', async () => {
    const clientId = await createClient();
    okJson(await cli('client', 'update', clientId, '--events-endpoint', receiver.url, '--json'));
    expect(shown(await cli('client', 'show', clientId))).toMatchObject({
      events_endpoint: receiver.url,
      events_authorization: 'not set',
      events_requested: 'session-revoked, credential-change',
    });
  });

  it('client apply of the same file again changes nothing: no verification event to the partner, audited as client.unchanged; a change is audited with the fields it changed', async () => {
    const clientId = `apply-events-${Date.now()}`;
    const metadata = { client_id: clientId, client_name: '家計簿アプリ', redirect_uris: ['https://kakeibo.example/cb'], events_endpoint: receiver.url, events_authorization: EVENTS_AUTHORIZATION };
    const verifications = async () => okJson<{ type: string }[]>(await cli('events', 'list', '--client', clientId, '--json')).filter((row) => row.type.endsWith('/verification')).length;
    const audited = () => server.logs.events().filter((line) => line.audit === true && line.client_id === clientId).map((line) => [line.event, line.changed]);

    expect(okJson<{ result: string }>(await cli('client', 'apply', writeJson(metadata), '--json')).result).toBe('created');
    expect(await verifications()).toBe(1);
    for (let again = 0; again < 2; again++) expect(okJson<{ result: string }>(await cli('client', 'apply', writeJson(metadata), '--json')).result).toBe('unchanged');
    expect(await verifications()).toBe(1);

    okJson(await cli('client', 'apply', writeJson({ ...metadata, client_name: '家計簿アプリ Pro', events_authorization: 'Bearer rotated-receiver-secret' }), '--json'));
    expect(await verifications()).toBe(2);
    expect(audited()).toEqual([
      ['client.created', undefined],
      ['client.unchanged', undefined],
      ['client.unchanged', undefined],
      ['client.updated', ['client_name', 'events_authorization']],
    ]);
    expectNoSecrets([server.logs.text], [EVENTS_AUTHORIZATION, 'rotated-receiver-secret']);
  });

  it('never prints the events Authorization value', () => {
    expectNoSecrets(transcript.flatMap((r) => [r.stdout, r.stderr]), [EVENTS_AUTHORIZATION, 'receiver-secret-7f3a9c']);
  });
});
