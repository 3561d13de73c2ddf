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

  it('answers active: false for a token of a partner that was disabled or deleted since', async () => {
    const { record, clientSecret } = await server.app.clients.create({ client_name: 'gateway', redirect_uris: [], resource_server: true });
    const gateway = { clientId: record.client_id, clientSecret };
    const tokenOf = async (partner: Awaited<ReturnType<typeof registerClient>>) => {
      const { code, verifier } = await issueCode(server, partner, await seedCustomer(server), 'openid accounts');
      const tokens = await postForm(`${server.issuer}/token`, { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT_URI }, { authorization: basicAuth(partner) });
      return String(tokens.json.access_token);
    };
    const disabled = await registerClient(server);
    const deleted = await registerClient(server);
    const [disabledToken, deletedToken] = [await tokenOf(disabled), await tokenOf(deleted)];
    await server.app.clients.setDisabled(disabled.clientId, true);
    await server.app.clients.delete(deleted.clientId);
    for (const token of [disabledToken, deletedToken]) {
      const answer = await postForm(`${server.issuer}/token/introspection`, { token }, { authorization: basicAuth(gateway) });
      expect([answer.status, answer.json]).toEqual([200, { active: false }]);
      const userinfo = await fetch(`${server.issuer}/me`, { headers: { authorization: `Bearer ${token}` } });
      expect(userinfo.status).toBe(401);
    }
  });

  it('refuses redirect URIs on a resource server and a partner without redirect URIs', async () => {
    await expect(server.app.clients.create({ client_name: 'rs', redirect_uris: [REDIRECT_URI], resource_server: true })).rejects.toMatchObject({ code: 'client.invalid' });
    await expect(server.app.clients.create({ client_name: 'partner', redirect_uris: [] })).rejects.toMatchObject({ code: 'client.invalid' });
  });
});
