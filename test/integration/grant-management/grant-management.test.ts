import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startAuthorization } from '../../support/browserless.js';
import { REDIRECT_URI, type TestClient } from '../../support/oauth-fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { okJson, renkei } from '../cli/cli-kit.js';
import { authorizeChoosing, customerWithAccounts, redeem, refresh, throughLogin } from '../rar/rar-kit.js';

const SCOPE = 'openid offline_access accounts grant_management_query grant_management_revoke';
let server: TestServer;
let partner: TestClient;
let endpoint: string;

async function register(grantManagement: boolean): Promise<TestClient> {
  const { record, clientSecret } = await server.app.clients.create({
    client_name: '家計簿アプリ', redirect_uris: [REDIRECT_URI], grant_management: grantManagement,
    scope: 'openid offline_access accounts transactions grant_management_query grant_management_revoke',
  });
  return { clientId: record.client_id, clientSecret };
}

const call = (method: 'GET' | 'DELETE', grantId: string, accessToken: string) =>
  fetch(`${endpoint}/${encodeURIComponent(grantId)}`, { method, headers: { authorization: `Bearer ${accessToken}` } });

beforeAll(async () => {
  server = await startTestServer();
  partner = await register(true);
  endpoint = ((await (await fetch(`${server.issuer}/.well-known/openid-configuration`)).json()) as Record<string, string>).grant_management_endpoint!;
});
afterAll(() => server.close());

/** A customer with two accounts who authorizes `partner` with the first, and the partner's tokens. */
async function connected(extra: Record<string, string> = { grant_management_action: 'create' }, scope = SCOPE) {
  const customer = await customerWithAccounts(server, 2);
  const { code, verifier } = await authorizeChoosing(server, partner, customer, [customer.accountIds[0]!], extra, scope);
  const tokens = await redeem(server, partner, code!, verifier);
  expect(tokens.status).toBe(200);
  return { customer, tokens: tokens.json as { access_token: string; refresh_token: string; grant_id: string; authorization_details: unknown } };
}

describe('Grant Management for OAuth 2.0', () => {
  it('is announced in discovery', async () => {
    const discovery = (await (await fetch(`${server.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(discovery).toMatchObject({
      grant_management_endpoint: `${server.issuer}/grant-management`,
      grant_management_actions_supported: ['query', 'revoke', 'create', 'merge', 'replace'],
      grant_management_action_required: false,
    });
  });

  it('is a client switch: renkei client create --grant-management (and --no-grant-management)', async () => {
    const created = okJson<{ client_id: string; grant_management?: boolean }>(await renkei(server, ['client', 'create', '--name', 'GM', '--redirect-uri', REDIRECT_URI, '--grant-management', '--json']));
    expect(created.grant_management).toBe(true);
    const updated = okJson<{ grant_management?: boolean }>(await renkei(server, ['client', 'update', created.client_id, '--no-grant-management', '--json']));
    expect(updated.grant_management).toBeUndefined();
  });

  it('gives grant_id in the token response to clients registered for it (and only to them)', async () => {
    const { customer, tokens } = await connected();
    expect(tokens.grant_id).toBe((await server.app.grants.find(customer.sub, partner.clientId))!.grantId);
    const plain = await register(false);
    const other = await customerWithAccounts(server, 1);
    const { code, verifier } = await authorizeChoosing(server, plain, other, other.accountIds);
    expect((await redeem(server, plain, code!, verifier)).json.grant_id).toBeUndefined();
    const refused = await startAuthorization(server.issuer, plain, { extra: { grant_management_action: 'create' } });
    expect(new URL(refused.landing.url).searchParams.get('error')).toBe('invalid_request');
  });

  it('GET answers the query shape: scopes (with the resource where bound), authorization_details with the chosen accounts, created_at, expires_at', async () => {
    const { customer, tokens } = await connected();
    const response = await call('GET', tokens.grant_id, tokens.access_token);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toEqual({
      scopes: [{ scope: SCOPE }],
      authorization_details: [{ type: 'account_information', actions: ['balances'], accounts: [customer.accountIds[0]] }],
      created_at: expect.any(Number),
      expires_at: expect.any(Number),
    });
    expect((body.expires_at as number) - (body.created_at as number)).toBeGreaterThan(89 * 86400);
  });

  it('refuses a token without the scope (403 insufficient_scope), no token (401), and another client’s grant (404)', async () => {
    const { tokens } = await connected({ grant_management_action: 'create' }, 'openid accounts');
    const noScope = await call('GET', tokens.grant_id, tokens.access_token);
    expect(noScope.status).toBe(403);
    expect(noScope.headers.get('www-authenticate')).toMatch(new RegExp(`^Bearer realm="${server.issuer}", error="insufficient_scope"`));
    expect(((await noScope.json()) as { error: string }).error).toBe('insufficient_scope');
    expect((await call('DELETE', tokens.grant_id, tokens.access_token)).status).toBe(403);
    // no token at all: the challenge without an error code (RFC 6750 §3.1)
    const anonymous = await fetch(`${endpoint}/${tokens.grant_id}`);
    expect([anonymous.status, anonymous.headers.get('www-authenticate')]).toEqual([401, `Bearer realm="${server.issuer}"`]);
    expect((await call('GET', tokens.grant_id, 'not-a-token')).status).toBe(401);

    const { tokens: mine } = await connected();
    const other = await register(true);
    const stranger = await customerWithAccounts(server, 1);
    const { code, verifier } = await authorizeChoosing(server, other, stranger, stranger.accountIds, { grant_management_action: 'create' }, SCOPE);
    const theirs = (await redeem(server, other, code!, verifier)).json as { grant_id: string; access_token: string };
    const foreign = await call('GET', mine.grant_id, theirs.access_token);
    expect([foreign.status, ((await foreign.json()) as { error: string }).error]).toEqual([404, 'invalid_grant_id']);
  });

  it('a partner asking with authorization_details (a JWT for the bank API) gets a token for the grant management endpoint and userinfo by a refresh that asks openid and no bank API scope', async () => {
    const customer = await customerWithAccounts(server, 1);
    const details = JSON.stringify([{ type: 'account_information', actions: ['balances'] }]);
    const { code, verifier } = await authorizeChoosing(server, partner, customer, customer.accountIds, { authorization_details: details, grant_management_action: 'create' }, SCOPE.replace(' accounts', ''));
    const tokens = (await redeem(server, partner, code!, verifier)).json as { access_token: string; refresh_token: string; grant_id: string };
    expect(tokens.access_token.split('.')).toHaveLength(3); // the bank API's JWT: not for renkei's own endpoints
    expect((await call('GET', tokens.grant_id, tokens.access_token)).status).toBe(401);

    const own = await refresh(server, partner, tokens.refresh_token, { scope: 'openid grant_management_query grant_management_revoke' });
    expect(own.status).toBe(200);
    const ownToken = own.json.access_token as string;
    expect([ownToken.split('.').length, own.json.scope]).toEqual([1, 'openid grant_management_query grant_management_revoke']);
    expect((await call('GET', tokens.grant_id, ownToken)).status).toBe(200);
    expect((await fetch(`${server.issuer}/me`, { headers: { authorization: `Bearer ${ownToken}` } })).status).toBe(200);
    // a refresh asking a bank API scope, or no scope, still gets the bank API's token
    const bank = await refresh(server, partner, tokens.refresh_token);
    expect((bank.json.access_token as string).split('.')).toHaveLength(3);
  });

  it('refuses at authorization a grant_id of another client or of another customer (invalid_grant_id)', async () => {
    const { tokens } = await connected();
    const other = await register(true);
    const foreignClient = await startAuthorization(server.issuer, other, { scope: 'openid accounts', extra: { grant_id: tokens.grant_id, grant_management_action: 'merge' } });
    expect(new URL(foreignClient.landing.url).searchParams.get('error')).toBe('invalid_grant_id');

    const stranger = await customerWithAccounts(server, 1);
    const start = await startAuthorization(server.issuer, partner, { scope: 'openid accounts', extra: { grant_id: tokens.grant_id, grant_management_action: 'merge' } });
    const end = await throughLogin(start.browser, start.landing, stranger);
    const callback = new URL(end.url);
    expect([callback.origin + callback.pathname, callback.searchParams.get('error'), callback.searchParams.get('state')]).toEqual([REDIRECT_URI, 'invalid_grant_id', start.state]);
    expect(await server.app.grants.find(stranger.sub, partner.clientId)).toBeUndefined();
  });

  it('merge adds to the same grant_id and ends the refresh tokens issued before; replace keeps the grant_id with only what it asks', async () => {
    const { customer, tokens } = await connected();
    const merged = await authorizeChoosing(server, partner, customer, customer.accountIds, { grant_id: tokens.grant_id, grant_management_action: 'merge' }, 'openid offline_access transactions grant_management_query');
    const after = (await redeem(server, partner, merged.code!, merged.verifier)).json as typeof tokens & { scope: string };
    expect(after.grant_id).toBe(tokens.grant_id);
    expect(after.authorization_details).toEqual([{ type: 'account_information', actions: ['balances', 'transactions'], accounts: customer.accountIds }]);
    const query = (await (await call('GET', tokens.grant_id, after.access_token)).json()) as { scopes: { scope: string }[] };
    expect(query.scopes[0]!.scope.split(' ').sort()).toEqual([...SCOPE.split(' '), 'transactions'].sort());
    expect((await refresh(server, partner, tokens.refresh_token)).json.error).toBe('invalid_grant');
    expect((await refresh(server, partner, after.refresh_token)).status).toBe(200);

    const replaced = await authorizeChoosing(server, partner, customer, [customer.accountIds[1]!], { grant_id: tokens.grant_id, grant_management_action: 'replace' }, 'openid offline_access accounts grant_management_query');
    const now = (await redeem(server, partner, replaced.code!, replaced.verifier)).json as typeof tokens;
    expect(now.grant_id).toBe(tokens.grant_id);
    expect(now.authorization_details).toEqual([{ type: 'account_information', actions: ['balances'], accounts: [customer.accountIds[1]] }]);
    const replacedQuery = (await (await call('GET', tokens.grant_id, now.access_token)).json()) as { scopes: { scope: string }[] };
    expect(replacedQuery.scopes).toEqual([{ scope: 'openid offline_access accounts grant_management_query' }]);
    expect((await refresh(server, partner, after.refresh_token)).json.error).toBe('invalid_grant');
    expect((await server.app.grants.find(customer.sub, partner.clientId))!.grantId).toBe(tokens.grant_id);
  });

  it('create starts a new grant that takes the place of the customer’s earlier one with this partner (one connection per partner)', async () => {
    const { customer, tokens } = await connected();
    const again = await authorizeChoosing(server, partner, customer, [customer.accountIds[1]!], { grant_management_action: 'create' }, SCOPE);
    const fresh = (await redeem(server, partner, again.code!, again.verifier)).json as typeof tokens;
    expect(fresh.grant_id).not.toBe(tokens.grant_id);
    expect((await server.app.grants.find(customer.sub, partner.clientId))!.grantId).toBe(fresh.grant_id);
    expect((await call('GET', tokens.grant_id, tokens.access_token)).status).toBe(401);
    expect((await call('GET', fresh.grant_id, fresh.access_token)).status).toBe(200);
    expect(server.logs.events().find((e) => e.event === 'grant.revoked' && e.grant_id === tokens.grant_id)).toMatchObject({ reason: 'grant_management' });
  });

  it('DELETE revokes the grant and every token under it (204), through the central revocation', async () => {
    const { customer, tokens } = await connected();
    const response = await call('DELETE', tokens.grant_id, tokens.access_token);
    expect(response.status).toBe(204);
    expect(await server.app.grants.find(customer.sub, partner.clientId)).toBeUndefined();
    expect((await call('GET', tokens.grant_id, tokens.access_token)).status).toBe(401);
    expect((await refresh(server, partner, tokens.refresh_token)).json.error).toBe('invalid_grant');
    expect(server.logs.events().find((e) => e.event === 'grant.revoked' && e.grant_id === tokens.grant_id)).toMatchObject({ reason: 'grant_management', client_id: partner.clientId });
  });
});
