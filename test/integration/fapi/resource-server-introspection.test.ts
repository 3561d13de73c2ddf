import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { basicAuth, issueCode, postForm, REDIRECT_URI, registerClient, seedCustomer } from '../../support/oauth-fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('introspection (RFC 7662) for the bank’s resource servers', () => {
  it('lets a registered resource server introspect any partner’s token, and a partner only its own', async () => {
    const partner = await registerClient(server);
    const otherPartner = await registerClient(server);
    const { record, clientSecret } = await server.app.clients.create({ client_name: '勘定系API ゲートウェイ', redirect_uris: [], resource_server: true });
    expect(record).toMatchObject({ resource_server: true, grant_types: [], response_types: [] });
    const gateway = { clientId: record.client_id, clientSecret };

    const sub = await seedCustomer(server);
    const { code, verifier } = await issueCode(server, partner, sub, 'openid accounts');
    const tokens = await postForm(`${server.issuer}/token`, { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT_URI }, { authorization: basicAuth(partner) });
    const token = String(tokens.json.access_token);
    const introspect = (caller: typeof partner) => postForm(`${server.issuer}/token/introspection`, { token }, { authorization: basicAuth(caller) });

    expect((await introspect(gateway)).json).toMatchObject({ active: true, client_id: partner.clientId, sub, scope: 'openid accounts', token_type: 'Bearer' });
    expect((await introspect(partner)).json).toMatchObject({ active: true, client_id: partner.clientId });
    expect((await introspect(otherPartner)).json).toEqual({ active: false });
  });

  it('refuses redirect URIs on a resource server and a partner without redirect URIs', async () => {
    await expect(server.app.clients.create({ client_name: 'rs', redirect_uris: [REDIRECT_URI], resource_server: true })).rejects.toMatchObject({ code: 'client.invalid' });
    await expect(server.app.clients.create({ client_name: 'partner', redirect_uris: [] })).rejects.toMatchObject({ code: 'client.invalid' });
  });
});
