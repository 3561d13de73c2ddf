import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { callbackParams } from '../../support/browserless.js';
import { completeJourney } from '../../support/journey.js';
import { basicAuth, createCustomer, postForm, REDIRECT_URI, registerClient, type TestClient, type TestCustomer } from '../../support/oauth-fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { discovery, expectNoSecrets, expectRefused, expectUsageError, okJson, renkei, transcript } from './cli-kit.js';

interface Grant {
  grant_id: string;
  sub: string;
  login_id: string | null;
  client_id: string;
  client_name: string | null;
  scope: string;
  created_at: string;
  expires_at: string;
}

interface Tokens {
  accessToken: string;
  refreshToken: string;
}

let server: TestServer;
let partner: TestClient;
let otherPartner: TestClient;
let endpoints: Record<string, string>;
const secrets = new Set<string>();

beforeAll(async () => {
  server = await startTestServer();
  partner = await registerClient(server);
  otherPartner = await registerClient(server);
  endpoints = await discovery(server);
});
afterAll(() => server.close());

const cli = (...args: string[]) => renkei(server, args);

async function customer(): Promise<TestCustomer> {
  const created = await createCustomer(server);
  for (const secret of [created.password, created.answer, created.userNumber]) secrets.add(secret);
  return created;
}

/** A finished journey with offline_access (prompt=consent, so a refresh token is issued). */
async function tokensFor(client: TestClient, who: TestCustomer): Promise<Tokens> {
  const journey = await completeJourney(server.issuer, client, who, { scope: 'openid offline_access accounts', extra: { prompt: 'consent' } });
  const tokens = await postForm(
    endpoints.token_endpoint!,
    { grant_type: 'authorization_code', code: callbackParams(journey.end.url).get('code')!, code_verifier: journey.verifier, redirect_uri: REDIRECT_URI },
    { authorization: basicAuth(client) },
  );
  expect(tokens.status).toBe(200);
  const result = { accessToken: String(tokens.json.access_token), refreshToken: String(tokens.json.refresh_token) };
  expect(result.refreshToken).not.toBe('undefined');
  secrets.add(result.accessToken).add(result.refreshToken);
  return result;
}

const userinfo = (accessToken: string) => fetch(endpoints.userinfo_endpoint!, { headers: { authorization: `Bearer ${accessToken}` } });
const refresh = (client: TestClient, refreshToken: string) =>
  postForm(endpoints.token_endpoint!, { grant_type: 'refresh_token', refresh_token: refreshToken }, { authorization: basicAuth(client) });
const introspect = (client: TestClient, token: string) => postForm(endpoints.introspection_endpoint!, { token }, { authorization: basicAuth(client) });

async function expectWorking(client: TestClient, { accessToken }: Tokens): Promise<void> {
  const me = await userinfo(accessToken);
  expect(me.status).toBe(200);
  await me.text();
  expect((await introspect(client, accessToken)).json.active).toBe(true);
}

/** The very next calls after a revocation: userinfo 401, refresh invalid_grant, introspection inactive. */
async function expectRevoked(client: TestClient, { accessToken, refreshToken }: Tokens): Promise<void> {
  const me = await userinfo(accessToken);
  expect(me.status).toBe(401);
  await me.text();
  const refreshed = await refresh(client, refreshToken);
  expect(refreshed.status).toBe(400);
  expect(refreshed.json.error).toBe('invalid_grant');
  expect((await introspect(client, accessToken)).json).toEqual({ active: false });
  expect((await introspect(client, refreshToken)).json).toEqual({ active: false });
}

describe('renkei grant list', () => {
  it('lists grants by customer and by partner, as JSON objects and as a table', async () => {
    const who = await customer();
    await tokensFor(partner, who);
    await tokensFor(otherPartner, who);

    const grants = okJson<Grant[]>(await cli('grant', 'list', '--user', who.loginId, '--json'));
    expect(grants).toHaveLength(2);
    for (const grant of grants) {
      expect(Object.keys(grant).sort()).toEqual(['client_id', 'client_name', 'created_at', 'expires_at', 'grant_id', 'login_id', 'scope', 'sub']);
      expect(grant).toMatchObject({ sub: who.sub, login_id: who.loginId });
      expect(grant.scope.split(' ').sort()).toEqual(['accounts', 'offline_access', 'openid']);
      // grant.ttlDays (90) from consent
      expect(Date.parse(grant.expires_at) - Date.parse(grant.created_at)).toBeGreaterThan(89 * 86400_000);
      expect(Date.parse(grant.expires_at) - Date.parse(grant.created_at)).toBeLessThanOrEqual(90 * 86400_000 + 60_000);
    }
    expect(grants.map((g) => g.client_id).sort()).toEqual([partner.clientId, otherPartner.clientId].sort());

    const byBoth = okJson<Grant[]>(await cli('grant', 'list', '--user', who.loginId, '--client', otherPartner.clientId, '--json'));
    expect(byBoth.map((g) => g.client_id)).toEqual([otherPartner.clientId]);
    const byClient = okJson<Grant[]>(await cli('grant', 'list', '--client', partner.clientId, '--json'));
    expect(byClient.filter((g) => g.sub === who.sub).map((g) => g.client_id)).toEqual([partner.clientId]);
    const all = okJson<Grant[]>(await cli('grant', 'list', '--json'));
    expect(all.filter((g) => g.sub === who.sub)).toHaveLength(2);

    const table = await cli('grant', 'list', '--user', who.loginId);
    expect(table.status).toBe(0);
    expect(table.stdout).toMatch(/^GRANT_ID\s+LOGIN_ID\s+CLIENT_ID\s+PARTNER\s+SCOPE\s+CREATED_AT\s+EXPIRES_AT$/m);
    for (const grant of grants) {
      expect(grant.client_name).toEqual(expect.any(String));
      // tables in Japan time, --json in ISO 8601 UTC
      const created = new Date(Date.parse(grant.created_at) + 9 * 3600_000).toISOString().slice(0, 19).replace('T', ' ') + '+09:00';
      expect(grant.created_at).toMatch(/Z$/);
      expect(table.stdout).toMatch(new RegExp(`^${grant.grant_id}\\s+${who.loginId}\\s+${grant.client_id}\\s+${grant.client_name}\\s.*\\s${created.replace('+', '\\+')}\\s`, 'm'));
    }
    expect((await cli('grant', 'list', '--user', (await customer()).loginId)).stdout).toBe('no grants\n');
  });

  it('refuses an unknown customer or partner (exit 1) and reports usage errors (exit 2)', async () => {
    expectRefused(await cli('grant', 'list', '--user', 'nobody-here'), /not_found: user nobody-here not found/);
    expectRefused(await cli('grant', 'list', '--client', 'c-nobody', '--json'), /not_found: client c-nobody not found/);
    expectUsageError(await cli('grant', 'list', 'extra'), /too many arguments: extra/);
    expectUsageError(await cli('grant', 'list', '--user'), /--user needs a value/);
  });
});

describe('renkei grant revoke: the very next call is refused', () => {
  it('revokes every grant of a customer (--user)', async () => {
    const who = await customer();
    const tokens = await tokensFor(partner, who);
    const other = await tokensFor(otherPartner, who);
    await expectWorking(partner, tokens);

    const result = await cli('grant', 'revoke', '--user', who.loginId);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^revoked 2 grants and every token under them:/);
    await expectRevoked(partner, tokens);
    await expectRevoked(otherPartner, other);
    expect(okJson<Grant[]>(await cli('grant', 'list', '--user', who.loginId, '--json'))).toEqual([]);
    expect(server.logs.events().filter((e) => e.event === 'grant.revoked' && e.sub === who.sub)).toHaveLength(2);

    expect(okJson<unknown>(await cli('grant', 'revoke', '--user', who.loginId, '--json'))).toEqual({ revoked: [] });
    expect((await cli('grant', 'revoke', '--user', who.loginId)).stdout).toContain('nothing to revoke');
  });

  it('revokes one partner of a customer (--user --client) and leaves the other', async () => {
    const who = await customer();
    const tokens = await tokensFor(partner, who);
    const other = await tokensFor(otherPartner, who);
    const [grant] = okJson<Grant[]>(await cli('grant', 'list', '--user', who.loginId, '--client', partner.clientId, '--json'));

    expect(okJson<unknown>(await cli('grant', 'revoke', '--user', who.loginId, '--client', partner.clientId, '--json'))).toEqual({ revoked: [grant!.grant_id] });
    await expectRevoked(partner, tokens);
    await expectWorking(otherPartner, other);
  });

  it('revokes one grant by its ID', async () => {
    const who = await customer();
    const tokens = await tokensFor(partner, who);
    const other = await tokensFor(otherPartner, who);
    const [grant] = okJson<Grant[]>(await cli('grant', 'list', '--user', who.loginId, '--client', partner.clientId, '--json'));

    expect(okJson<unknown>(await cli('grant', 'revoke', grant!.grant_id, '--json'))).toEqual({ revoked: [grant!.grant_id] });
    await expectRevoked(partner, tokens);
    await expectWorking(otherPartner, other);
    expect(okJson<Grant[]>(await cli('grant', 'list', '--user', who.loginId, '--json')).map((g) => g.client_id)).toEqual([otherPartner.clientId]);
    expectRefused(await cli('grant', 'revoke', grant!.grant_id), /not_found: grant .* not found/);
  });

  it('refuses unknown grants and customers (exit 1) and reports usage errors (exit 2)', async () => {
    expectRefused(await cli('grant', 'revoke', 'no-such-grant'), /^renkei: not_found: grant no-such-grant not found$/m);
    expectRefused(await cli('grant', 'revoke', '--user', 'nobody-here'), /not_found: user nobody-here not found/);
    // a mistyped partner revokes nothing and says so (an incident runbook must not pass silently)
    const holder = await customer();
    expectRefused(await cli('grant', 'revoke', '--user', holder.loginId, '--client', `${partner.clientId}x`), new RegExp(`not_found: client ${partner.clientId}x not found`));
    const usage = 'Run `renkei grant revoke --help` for its options and examples.';
    expectUsageError(await cli('grant', 'revoke'), /give GRANT_ID or --user LOGIN_ID/, usage);
    expectUsageError(await cli('grant', 'revoke', 'g-1', '--user', 'x'), /give GRANT_ID or --user, not both/, usage);
    expectUsageError(await cli('grant', 'revoke', '--client', partner.clientId), /--client needs --user/, usage);
    expectUsageError(await cli('grant', 'revoke', 'g-1', 'g-2'), /too many arguments: g-2/, usage);
  });
});

describe('operator actions that stop tokens at once', () => {
  it('client disable refuses the partner at the token endpoint and its access token at userinfo; enable restores both', async () => {
    const client = await registerClient(server);
    const who = await customer();
    const tokens = await tokensFor(client, who);
    await expectWorking(client, tokens);

    okJson<unknown>(await cli('client', 'disable', client.clientId, '--json'));
    const me = await userinfo(tokens.accessToken);
    expect(me.status).toBe(401);
    await me.text();
    const refused = await refresh(client, tokens.refreshToken);
    expect(refused.status).toBe(401);
    expect(refused.json.error).toBe('invalid_client');
    expect((await introspect(client, tokens.accessToken)).status).toBe(401);

    okJson<unknown>(await cli('client', 'enable', client.clientId, '--json'));
    await expectWorking(client, tokens);
    const refreshed = await refresh(client, tokens.refreshToken);
    expect(refreshed.status).toBe(200);
    expect(refreshed.json.access_token).toBeTruthy();
  });

  it('client delete revokes every grant the partner held', async () => {
    const client = await registerClient(server);
    const who = await customer();
    const tokens = await tokensFor(client, who);
    okJson<unknown>(await cli('client', 'delete', client.clientId, '--json'));
    const me = await userinfo(tokens.accessToken);
    expect(me.status).toBe(401);
    await me.text();
    expect(okJson<Grant[]>(await cli('grant', 'list', '--user', who.loginId, '--json'))).toEqual([]);
    // the audit line names the customer by login ID, though the partner's grants are listed by sub
    const audited = server.logs.events().filter((line) => line.event === 'grant.revoked' && line.client_id === client.clientId);
    expect(audited).toEqual([expect.objectContaining({ login_id: who.loginId, reason: 'client_deleted', audit: true })]);
  });

  it('user lock stops the customer\'s tokens at once; unlock lets them work again', async () => {
    const who = await customer();
    const tokens = await tokensFor(partner, who);
    await expectWorking(partner, tokens);

    okJson<unknown>(await cli('user', 'lock', who.loginId, '--json'));
    const me = await userinfo(tokens.accessToken);
    expect(me.status).toBe(401);
    await me.text();
    const refreshed = await refresh(partner, tokens.refreshToken);
    expect(refreshed.status).toBe(400);
    expect(refreshed.json.error).toBe('invalid_grant');

    okJson<unknown>(await cli('user', 'unlock', who.loginId, '--json'));
    await expectWorking(partner, tokens);
  });

  it('user set-password and user delete revoke every grant the customer gave', async () => {
    const who = await customer();
    const tokens = await tokensFor(partner, who);
    const password = 'a brand new password';
    secrets.add(password);
    okJson<unknown>(await renkei(server, ['user', 'set-password', who.loginId, '--json'], { input: `${password}\n` }));
    await expectRevoked(partner, tokens);

    const second = await customer();
    const secondTokens = await tokensFor(partner, second);
    okJson<unknown>(await cli('user', 'delete', second.loginId, '--json'));
    const me = await userinfo(secondTokens.accessToken);
    expect(me.status).toBe(401);
    await me.text();
    expect((await introspect(partner, secondTokens.accessToken)).json).toEqual({ active: false });
  });
});

describe('no secret in CLI output or logs', () => {
  it('never shows a password, answer, 利用者番号 or token', () => {
    expect(secrets.size).toBeGreaterThan(20);
    expectNoSecrets(transcript.flatMap((r) => [r.stdout, r.stderr]), [...secrets]);
    expectNoSecrets([server.logs.text], [...secrets]);
    expectNoSecrets([server.logs.text], [partner.clientSecret!, otherPartner.clientSecret!]);
  });
});
