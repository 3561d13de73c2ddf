/** RFC 7009 for an access token: oidc-provider revokes every token of its grant, and the grant ends with them. */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { callbackParams } from '../../support/browserless.js';
import { completeJourney } from '../../support/journey.js';
import { basicAuth, createCustomer, postForm, REDIRECT_URI, registerClient } from '../../support/oauth-fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

let server: TestServer;
// oidc-provider's console notices, as a production server would log them (provider.notice)
const consoleInfo = jest.spyOn(console, 'info');
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('revoking an access token (RFC 7009)', () => {
  it('ends the grant it belongs to, as its refresh token would: every token of it, the customer\'s connection, with the audit line', async () => {
    const client = await registerClient(server);
    const customer = await createCustomer(server);
    const journey = await completeJourney(server.issuer, client, customer, { scope: 'openid offline_access accounts', extra: { prompt: 'consent' } });
    const code = callbackParams(journey.end.url).get('code')!;
    const token = (form: Record<string, string>) => postForm(`${server.issuer}/token`, form, { authorization: basicAuth(client) });
    const first = await token({ grant_type: 'authorization_code', code, code_verifier: journey.verifier, redirect_uri: REDIRECT_URI });
    expect(first.status).toBe(200);
    const second = await token({ grant_type: 'refresh_token', refresh_token: String(first.json.refresh_token) });
    expect(second.status).toBe(200);
    const { grantId } = (await server.app.grants.find(customer.sub, client.clientId))!;

    const revoked = await postForm(`${server.issuer}/token/revocation`, { token: String(first.json.access_token), token_type_hint: 'access_token' }, { authorization: basicAuth(client) });
    expect(revoked.status).toBe(200);

    const userinfo = async (accessToken: unknown) => (await fetch(`${server.issuer}/me`, { headers: { authorization: `Bearer ${String(accessToken)}` } })).status;
    expect([await userinfo(first.json.access_token), await userinfo(second.json.access_token)]).toEqual([401, 401]);
    const refreshed = await token({ grant_type: 'refresh_token', refresh_token: String(second.json.refresh_token ?? first.json.refresh_token) });
    expect([refreshed.status, refreshed.json.error]).toEqual([400, 'invalid_grant']);
    // the connection is gone from the customer's list (it could serve nothing more), said once in the audit
    // (written after the response, when oidc-provider says the grant was revoked)
    const audited = () => server.logs.events().filter((line) => line.event === 'grant.revoked');
    for (let polls = 0; polls < 200 && audited().length === 0; polls += 1) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await server.app.grants.find(customer.sub, client.clientId)).toBeUndefined();
    expect(audited()).toEqual([
      expect.objectContaining({ audit: true, sub: customer.sub, client_id: client.clientId, grant_id: grantId, reason: 'token_revoked' }),
    ]);
  });

  it("is refused for another partner's token (400 invalid_request), which keeps working, by renkei's own policy (no 'you SHOULD change it' notice from oidc-provider)", async () => {
    const [owner, other] = [await registerClient(server), await registerClient(server)];
    const customer = await createCustomer(server);
    const journey = await completeJourney(server.issuer, owner, customer, { scope: 'openid accounts' });
    const issued = await postForm(`${server.issuer}/token`, { grant_type: 'authorization_code', code: callbackParams(journey.end.url).get('code')!, code_verifier: journey.verifier, redirect_uri: REDIRECT_URI }, { authorization: basicAuth(owner) });
    const accessToken = String(issued.json.access_token);
    const refused = await postForm(`${server.issuer}/token/revocation`, { token: accessToken }, { authorization: basicAuth(other) });
    expect([refused.status, refused.json.error, refused.json.error_description]).toEqual([400, 'invalid_request', 'client is not authorized to revoke the presented token']);
    expect((await fetch(`${server.issuer}/me`, { headers: { authorization: `Bearer ${accessToken}` } })).status).toBe(200);
    expect(consoleInfo.mock.calls.map((args) => String(args[0])).filter((text) => text.includes('revocation.allowedPolicy'))).toEqual([]);
  });
});
