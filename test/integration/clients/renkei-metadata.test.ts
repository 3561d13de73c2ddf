import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { renkeiMetadata } from '../../../src/provider/client-metadata.js';
import { REDIRECT_URI } from '../../support/oauth-fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe("renkei's client metadata read off oidc-provider's client", () => {
  it('is what client.metadata() says, set or not', async () => {
    const created = [
      await server.app.clients.create({ client_name: 'plain', redirect_uris: [REDIRECT_URI] }),
      await server.app.clients.create({ client_name: 'gateway', redirect_uris: [], resource_server: true }),
      await server.app.clients.create({ client_name: 'managed', redirect_uris: [REDIRECT_URI], grant_management: true }),
      await server.app.clients.create({ client_name: 'unmanaged', redirect_uris: [REDIRECT_URI], grant_management: false }),
    ];
    const seen = [];
    for (const { record } of created) {
      const client = (await server.provider.Client.find(record.client_id))!;
      const metadata = client.metadata();
      const ours = renkeiMetadata(client);
      expect({ profile: ours.profile, resource_server: ours.resource_server, grant_management: ours.grant_management })
        .toEqual({ profile: metadata.profile, resource_server: metadata.resource_server, grant_management: metadata.grant_management });
      seen.push(ours);
    }
    expect(seen.map((m) => [m.profile, m.resource_server, m.grant_management])).toEqual([
      ['standard', undefined, undefined], ['standard', true, undefined], ['standard', undefined, true], ['standard', undefined, undefined],
    ]);
  });
});
