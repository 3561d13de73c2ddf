import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { exportJWK, generateKeyPair } from 'jose';
import { basicAuth, postForm } from '../../support/oauth-fixtures.js';
import { freePort } from '../../support/redis-server.mjs';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { PassThrough } from 'node:stream';
import { runCli } from '../../../src/cli/main.js';
import { Collected, discovery, expectNoSecrets, expectRefused, expectUsageError, okJson, renkei, scratchDir, transcript, writeJson, type CliResult } from './cli-kit.js';

interface Client {
  client_id: string;
  client_name: string;
  redirect_uris: string[];
  scope: string;
  token_endpoint_auth_method: string;
  profile: string;
  disabled: boolean;
  jwks?: { keys: Record<string, unknown>[] };
  jwks_uri?: string;
  client_secret?: string;
  client_secret_expires_at?: number;
  result?: string;
}

let server: TestServer;
let introspectionEndpoint: string;
/** every client secret the CLI printed: each may appear only in its own create/rotate output */
const issuedSecrets: string[] = [];

beforeAll(async () => {
  server = await startTestServer();
  introspectionEndpoint = (await discovery(server)).introspection_endpoint!;
});
afterAll(() => server.close());

const cli = (...args: string[]) => renkei(server, args);
const REDIRECT = 'https://kakeibo.example/callback';

async function createClient(...extra: string[]): Promise<Client> {
  const client = okJson<Client>(await cli('client', 'create', '--name', '家計簿アプリ', '--redirect-uri', REDIRECT, '--json', ...extra));
  if (client.client_secret) issuedSecrets.push(client.client_secret);
  return client;
}

/** Whether the server accepts this client secret (introspection authenticates the partner). */
async function secretWorks(clientId: string, clientSecret: string): Promise<boolean> {
  const answer = await postForm(introspectionEndpoint, { token: 'not-a-token' }, { authorization: basicAuth({ clientId, clientSecret }) });
  if (answer.status === 200) return true;
  expect(answer.json.error).toBe('invalid_client');
  return false;
}

async function publicJwk() {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  return { publicJwk: { ...(await exportJWK(publicKey)), kid: 'partner-1', alg: 'ES256', use: 'sig' }, privateJwk: await exportJWK(privateKey) };
}

describe('renkei client create', () => {
  it('registers a confidential client and prints its metadata with the secret once (--json)', async () => {
    const client = await createClient('--scope', 'openid  offline_access accounts');
    expect(client).toMatchObject({
      client_name: '家計簿アプリ',
      redirect_uris: [REDIRECT],
      scope: 'openid offline_access accounts',
      token_endpoint_auth_method: 'client_secret_basic',
      profile: 'standard',
      disabled: false,
    });
    expect(client.client_id).toMatch(/^c-/);
    expect(client.client_secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // RFC 7591 metadata only: not the store's own fields
    for (const shown of [client, okJson<Record<string, unknown>>(await cli('client', 'show', client.client_id, '--json'))]) {
      expect(Object.keys(shown)).not.toEqual(expect.arrayContaining(['kind']));
      expect(Object.keys(shown)).not.toEqual(expect.arrayContaining(['jti']));
    }
    expect(client.client_secret_expires_at).toBe(0);
    expect(await secretWorks(client.client_id, client.client_secret!)).toBe(true);

    const shown = okJson<Client>(await cli('client', 'show', client.client_id, '--json'));
    expect(shown).toMatchObject({ client_id: client.client_id, scope: 'openid offline_access accounts' });
    expect(shown.client_secret).toBeUndefined();
    expect(shown.client_secret_expires_at).toBeUndefined();
  });

  it('shows the secret once in human output, with the warning that it is not shown again', async () => {
    const result = await cli('client', 'create', '--name', 'Ledger Cloud', '--redirect-uri', REDIRECT, '--redirect-uri', 'http://localhost:8080/cb', '--auth-method', 'client_secret_post');
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    const clientId = /^created client (\S+)$/m.exec(result.stdout)![1]!;
    const secret = /^client_secret\s+(\S+)$/m.exec(result.stdout)![1]!;
    issuedSecrets.push(secret);
    expect(result.stdout).toContain('not shown again');
    expect(result.stdout).toMatch(/auth_method\s+client_secret_post/);
    expect(result.stdout).toContain(`${REDIRECT}, http://localhost:8080/cb`);
    expect(result.stdout.split(secret)).toHaveLength(2);

    const list = await cli('client', 'list');
    expect(list.status).toBe(0);
    expect(list.stdout).toMatch(/^CLIENT_ID\s+NAME\s+STATUS/);
    expect(list.stdout).toMatch(new RegExp(`^${clientId}\\s+Ledger Cloud\\s+active\\s+standard\\s+client_secret_post`, 'm'));
    const listed = okJson<Client[]>(await cli('client', 'list', '--json'));
    // the server and output flags may come before the command (as git's global flags do)
    const flagsFirst = okJson<Client[]>(await renkei(server, ['--url', server.adminUrl, '--json', 'client', 'list'], { env: { RENKEI_ADMIN_URL: 'http://127.0.0.1:9' } }));
    expect(flagsFirst.map((c) => c.client_id)).toContain(clientId);
    expect(listed.map((c) => c.client_id)).toContain(clientId);
    expect(listed.every((c) => c.client_secret === undefined)).toBe(true);
  });

  it('registers public, private_key_jwt (--jwks-file, --jwks-uri) and fapi2 clients without a secret', async () => {
    const publicClient = await createClient('--auth-method', 'none');
    expect(publicClient.token_endpoint_auth_method).toBe('none');
    expect(publicClient.client_secret).toBeUndefined();

    const { publicJwk: jwk } = await publicJwk();
    const dir = scratchDir();
    writeFileSync(join(dir, 'jwks.json'), JSON.stringify({ keys: [jwk] }));
    const keyed = okJson<Client>(
      await renkei(server, ['client', 'create', '--name', 'Keyed', '--redirect-uri', REDIRECT, '--auth-method', 'private_key_jwt', '--jwks-file', 'jwks.json', '--json'], { cwd: dir }),
    );
    expect(keyed).toMatchObject({ token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [{ kid: 'partner-1', kty: 'EC' }] } });
    expect(keyed.client_secret).toBeUndefined();

    const remote = await createClient('--auth-method', 'private_key_jwt', '--jwks-uri', 'https://kakeibo.example/jwks.json');
    expect(remote).toMatchObject({ jwks_uri: 'https://kakeibo.example/jwks.json' });
    expect(remote.client_secret).toBeUndefined();

    const fapi = await createClient('--profile', 'fapi2', '--jwks-uri', 'https://kakeibo.example/jwks.json');
    expect(fapi).toMatchObject({ profile: 'fapi2', token_endpoint_auth_method: 'private_key_jwt' });
    expect(fapi.client_secret).toBeUndefined();

    const shown = await cli('client', 'show', keyed.client_id);
    expect(shown.status).toBe(0);
    expect(shown.stdout).toMatch(/keys\s+1 key\(s\): partner-1/);
  });

  it.each([
    ['an http redirect URI that is not loopback', ['--redirect-uri', 'http://kakeibo.example/cb'], /redirect_uris\/0.*https/],
    ['a redirect URI with a fragment', ['--redirect-uri', 'https://kakeibo.example/cb#frag'], /fragment/],
    ['a redirect URI that is not a URL', ['--redirect-uri', 'kakeibo/callback'], /not an absolute URL/],
    ['a wildcard redirect URI', ['--redirect-uri', 'https://*.kakeibo.example/cb'], /wildcard|exact/],
    ['an unknown scope', ['--redirect-uri', REDIRECT, '--scope', 'openid everything'], /unknown scope everything/],
    ['private_key_jwt without keys', ['--redirect-uri', REDIRECT, '--auth-method', 'private_key_jwt'], /private_key_jwt needs jwks or jwks_uri/],
    ['an http jwks_uri', ['--redirect-uri', REDIRECT, '--auth-method', 'private_key_jwt', '--jwks-uri', 'http://kakeibo.example/jwks'], /jwks_uri must be an https URL/],
    ['a jwks_uri with credentials', ['--redirect-uri', REDIRECT, '--auth-method', 'private_key_jwt', '--jwks-uri', 'https://kakeibo:pw@kakeibo.example/jwks'], /jwks_uri must not carry credentials/],
    ['an events_endpoint with credentials', ['--redirect-uri', REDIRECT, '--events-endpoint', 'https://kakeibo:s3cret@kakeibo.example/events'], /events_endpoint must not carry credentials \(user:password@\): give the receiver's Authorization value as events_authorization/],
    ['fapi2 with a client secret', ['--redirect-uri', REDIRECT, '--profile', 'fapi2', '--auth-method', 'client_secret_basic'], /fapi2 requires private_key_jwt/],
    // an ID that a URL path cannot address (a dot segment): the CLI could never show, disable or delete it
    ['the client ID ".."', ['--redirect-uri', REDIRECT, '--client-id', '..'], /client_id.*not \. or \.\. alone/],
    ['the client ID "."', ['--redirect-uri', REDIRECT, '--client-id', '.'], /client_id.*not \. or \.\. alone/],
  ])('refuses %s (exit 1, the server\'s message on stderr)', async (_what, flags, message) => {
    const result = await cli('client', 'create', '--name', 'Bad', ...flags, '--json');
    expectRefused(result, message);
    expect(result.stderr).toMatch(/^renkei: validation_failed: /);
  });

  it('refuses private keys and unreadable files given with --jwks-file', async () => {
    const { privateJwk } = await publicJwk();
    const privateFile = writeJson({ keys: [privateJwk] });
    expectRefused(await cli('client', 'create', '--name', 'Bad', '--redirect-uri', REDIRECT, '--auth-method', 'private_key_jwt', '--jwks-file', privateFile), /public keys only/);
    expectRefused(await cli('client', 'create', '--name', 'Bad', '--redirect-uri', REDIRECT, '--jwks-file', '/nonexistent/jwks.json'), /cannot use --jwks-file \/nonexistent\/jwks.json: there is no such file/);
    const notJson = join(scratchDir(), 'jwks.json');
    writeFileSync(notJson, '{ keys: ');
    expectRefused(await cli('client', 'create', '--name', 'Bad', '--redirect-uri', REDIRECT, '--jwks-file', notJson), /not valid JSON/);
  });

  it.each([
    ['no --name', ['--redirect-uri', REDIRECT], /--name is required/],
    ['no --redirect-uri', ['--name', 'x'], /--redirect-uri is required/],
    ['--jwks-uri and --jwks-file together', ['--name', 'x', '--redirect-uri', REDIRECT, '--jwks-uri', 'https://a.example/j', '--jwks-file', 'j.json'], /give --jwks-uri or --jwks-file, not both/],
    ['an unknown --auth-method', ['--name', 'x', '--redirect-uri', REDIRECT, '--auth-method', 'mtls'], /--auth-method must be one of client_secret_basic, client_secret_post, private_key_jwt, tls_client_auth, self_signed_tls_client_auth, none/],
    ['an unknown --profile', ['--name', 'x', '--redirect-uri', REDIRECT, '--profile', 'fapi1'], /--profile must be one of standard, fapi2/],
    ['an unknown flag', ['--name', 'x', '--redirect-uri', REDIRECT, '--secret', 's'], /^renkei: unknown flag --secret$/m],
    ['a mistyped flag', ['--name', 'x', '--redirect-uri', REDIRECT, '--scoep', 's'], /unknown flag --scoep; did you mean --scope\?/],
    ['a flag without its value', ['--name', 'x', '--redirect-uri'], /--redirect-uri needs a value/],
    ['a positional argument', ['--name', 'x', '--redirect-uri', REDIRECT, 'extra'], /too many arguments: extra/],
  ])('is a usage error with %s (exit 2, two lines on stderr)', async (_what, flags, message) => {
    expectUsageError(await cli('client', 'create', ...flags), message, 'Run `renkei client create --help` for its options and examples.');
  });
});

describe('renkei client show | update', () => {
  it('updates only the fields given and keeps the secret', async () => {
    const client = await createClient();
    const updated = okJson<Client>(await cli('client', 'update', client.client_id, '--scope', 'openid accounts transactions', '--redirect-uri', 'https://kakeibo.example/cb2', '--json'));
    expect(updated).toMatchObject({ client_id: client.client_id, client_name: '家計簿アプリ', scope: 'openid accounts transactions', redirect_uris: ['https://kakeibo.example/cb2'] });
    expect(updated.client_secret).toBeUndefined();
    expect(await secretWorks(client.client_id, client.client_secret!)).toBe(true);

    const human = await cli('client', 'update', client.client_id, '--name', '家計簿アプリ Pro');
    expect(human.status).toBe(0);
    expect(human.stdout).toContain(`updated client ${client.client_id}`);
    expect(human.stdout).toMatch(/client_name\s+家計簿アプリ Pro/);
    expect(okJson<Client>(await cli('client', 'show', client.client_id, '--json')).client_name).toBe('家計簿アプリ Pro');
  });

  it('registers post-logout redirect URIs (--post-logout-redirect-uri, repeatable), shows them, and refuses a plain http one (exit 1)', async () => {
    const client = await createClient('--post-logout-redirect-uri', 'https://kakeibo.example/bye', '--post-logout-redirect-uri', 'https://kakeibo.example/bye2');
    expect((client as Client & { post_logout_redirect_uris?: string[] }).post_logout_redirect_uris).toEqual(['https://kakeibo.example/bye', 'https://kakeibo.example/bye2']);
    const shown = await cli('client', 'show', client.client_id);
    expect(shown.stdout).toMatch(/post_logout_redirect_uris\s+https:\/\/kakeibo\.example\/bye, https:\/\/kakeibo\.example\/bye2/);

    const refused = await cli('client', 'update', client.client_id, '--post-logout-redirect-uri', 'http://kakeibo.example/bye');
    expectRefused(refused, '/post_logout_redirect_uris/0: http://kakeibo.example/bye must be an https URL (http only for loopback)');
  });

  it('switches a private_key_jwt client between --jwks-file and --jwks-uri', async () => {
    const { publicJwk: jwk } = await publicJwk();
    const client = await createClient('--auth-method', 'private_key_jwt', '--jwks-file', writeJson(jwk));
    expect(client.jwks?.keys).toHaveLength(1);
    const remote = okJson<Client>(await cli('client', 'update', client.client_id, '--jwks-uri', 'https://kakeibo.example/jwks.json', '--json'));
    expect(remote.jwks_uri).toBe('https://kakeibo.example/jwks.json');
    expect(remote.jwks).toBeUndefined();
    const local = okJson<Client>(await cli('client', 'update', client.client_id, '--jwks-file', writeJson({ keys: [jwk] }), '--json'));
    expect(local.jwks?.keys).toHaveLength(1);
    expect(local.jwks_uri).toBeUndefined();
  });

  it('issues a secret, shown once, when an update makes a public client confidential', async () => {
    const client = await createClient('--auth-method', 'none');
    const updated = okJson<Client>(await cli('client', 'update', client.client_id, '--auth-method', 'client_secret_basic', '--json'));
    expect(updated.client_secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    issuedSecrets.push(updated.client_secret!);
    expect(await secretWorks(client.client_id, updated.client_secret!)).toBe(true);
    expect(okJson<Client>(await cli('client', 'update', client.client_id, '--scope', 'openid', '--json')).client_secret).toBeUndefined();
  });

  it('refuses bad updates and unknown clients (exit 1)', async () => {
    const client = await createClient();
    expectRefused(await cli('client', 'update', client.client_id, '--redirect-uri', 'http://kakeibo.example/cb'), /must be an https URL/);
    expectRefused(await cli('client', 'update', client.client_id, '--scope', 'openid payroll'), /unknown scope payroll/);
    expectRefused(await cli('client', 'update', 'c-nobody', '--scope', 'openid'), /^renkei: not_found: no client c-nobody$/m);
    expectRefused(await cli('client', 'show', 'c-nobody'), /not_found: no client c-nobody/);
    expect(okJson<Client>(await cli('client', 'show', client.client_id, '--json')).redirect_uris).toEqual([REDIRECT]);
  });

  it('reports usage errors (exit 2): no ID, two IDs, an empty ID, nothing to update', async () => {
    expectUsageError(await cli('client', 'show'), /missing ID/);
    expectUsageError(await cli('client', 'show', 'a', 'b'), /too many arguments: b/);
    expectUsageError(await cli('client', 'show', ''), /ID must not be empty/);
    expectUsageError(await cli('client', 'update', 'c-1'), /nothing to update/);
    expectUsageError(await cli('client', 'update', '--scope', 'openid'), /missing ID/);
  });
});

describe('renkei client disable | enable | rotate-secret | delete', () => {
  it('disables and enables a client; the partner is refused while it is disabled', async () => {
    const client = await createClient();
    const disabled = okJson<Client>(await cli('client', 'disable', client.client_id, '--json'));
    expect(disabled).toMatchObject({ client_id: client.client_id, disabled: true });
    expect(await secretWorks(client.client_id, client.client_secret!)).toBe(false);
    const list = await cli('client', 'list');
    expect(list.stdout).toMatch(new RegExp(`^${client.client_id}\\s+家計簿アプリ\\s+disabled`, 'm'));

    const enabled = await cli('client', 'enable', client.client_id);
    expect(enabled.status).toBe(0);
    expect(enabled.stdout).toContain(`enabled client ${client.client_id}`);
    expect(await secretWorks(client.client_id, client.client_secret!)).toBe(true);
    expect(okJson<Client>(await cli('client', 'show', client.client_id, '--json')).disabled).toBe(false);
  });

  it('rotates the secret: the new one works, the old one no longer', async () => {
    const client = await createClient();
    const rotated = okJson<{ client_id: string; client_secret: string }>(await cli('client', 'rotate-secret', client.client_id, '--json'));
    issuedSecrets.push(rotated.client_secret);
    expect(rotated.client_id).toBe(client.client_id);
    expect(rotated.client_secret).not.toBe(client.client_secret);
    expect(await secretWorks(client.client_id, rotated.client_secret)).toBe(true);
    expect(await secretWorks(client.client_id, client.client_secret!)).toBe(false);

    const human = await cli('client', 'rotate-secret', client.client_id);
    expect(human.status).toBe(0);
    const secret = /^client_secret\s+(\S+)$/m.exec(human.stdout)![1]!;
    issuedSecrets.push(secret);
    expect(human.stdout).toContain('not shown again');
    expect(await secretWorks(client.client_id, secret)).toBe(true);
  });

  it('refuses to rotate the secret of a public client, and unknown clients (exit 1)', async () => {
    const client = await createClient('--auth-method', 'none');
    expectRefused(await cli('client', 'rotate-secret', client.client_id), /uses none; it has no secret/);
    for (const action of ['disable', 'enable', 'rotate-secret', 'delete']) {
      expectRefused(await cli('client', action, 'c-nobody'), /not_found: no client c-nobody/);
    }
  });

  it('deletes a client', async () => {
    const client = await createClient();
    expect(okJson<unknown>(await cli('client', 'delete', client.client_id, '--json'))).toEqual({ client_id: client.client_id, deleted: true });
    expectRefused(await cli('client', 'show', client.client_id), /not_found/);
    expect(await secretWorks(client.client_id, client.client_secret!)).toBe(false);
    const again = await cli('client', 'delete', client.client_id);
    expectRefused(again, /not_found/);
    const human = await cli('client', 'delete', (await createClient()).client_id);
    expect(human.stdout).toMatch(/^deleted client c-\S+; every grant it held has been revoked$/m);
  });
});

describe('renkei client apply', () => {
  it('creates, then leaves unchanged, then updates the client of a metadata file; the secret only at creation', async () => {
    const clientId = `partner-${Date.now()}`;
    const metadata = { client_id: clientId, client_name: 'Apply Partner', redirect_uris: [REDIRECT], scope: 'openid accounts' };
    const file = writeJson(metadata);
    const created = okJson<Client>(await cli('client', 'apply', file, '--json'));
    expect(created).toMatchObject({ ...metadata, result: 'created', token_endpoint_auth_method: 'client_secret_basic' });
    expect(created.client_secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    issuedSecrets.push(created.client_secret!);

    const again = okJson<Client>(await cli('client', 'apply', file, '--json'));
    expect(again).toMatchObject({ ...metadata, result: 'unchanged' });
    expect(again.client_secret).toBeUndefined();
    expect(await secretWorks(clientId, created.client_secret!)).toBe(true);

    const changed = await cli('client', 'apply', writeJson({ ...metadata, scope: 'openid accounts transactions' }));
    expect(changed.status).toBe(0);
    expect(changed.stdout).toContain(`updated client ${clientId}`);
    expect(changed.stdout).not.toMatch(/^client_secret\s/m);
    expect(changed.stdout).not.toContain(created.client_secret);
    expect(okJson<Client>(await cli('client', 'show', clientId, '--json')).scope).toBe('openid accounts transactions');
    expect(await secretWorks(clientId, created.client_secret!)).toBe(true);

    const human = await cli('client', 'apply', writeJson({ ...metadata, client_id: `${clientId}-2` }));
    expect(human.stdout).toContain(`created client ${clientId}-2`);
    const secret = /^client_secret\s+(\S+)$/m.exec(human.stdout)![1]!;
    issuedSecrets.push(secret);
    expect(human.stdout).toContain('not shown again');
  });

  it('refuses files it cannot use and metadata the server refuses (exit 1)', async () => {
    expectRefused(await cli('client', 'apply', '/nonexistent/client.json'), /cannot use \/nonexistent\/client.json: there is no such file/);
    const broken = join(scratchDir(), 'client.json');
    writeFileSync(broken, '{"client_id": ');
    expectRefused(await cli('client', 'apply', broken), /not valid JSON: it ends at line 1, column 15 before the JSON is complete/);
    writeFileSync(broken, '{\n  "client_id": "c-x",\n  "client_name": "x",,\n}');
    expectRefused(await cli('client', 'apply', broken), /^renkei: cannot use \S+client.json: not valid JSON at line 3, column 22$/m);
    expectRefused(await cli('client', 'apply', writeJson([{ client_id: 'x' }])), /one JSON object/);
    expectRefused(await cli('client', 'apply', writeJson({ client_name: 'x', redirect_uris: [REDIRECT] })), /needs a "client_id"/);
    const base = { client_id: `bad-${Date.now()}`, client_name: 'Bad', redirect_uris: [REDIRECT] };
    expectRefused(await cli('client', 'apply', writeJson({ ...base, redirect_uris: ['http://bad.example/cb'] })), /must be an https URL/);
    expectRefused(await cli('client', 'apply', writeJson({ ...base, client_secret: 'chosen' })), /client_secret is not a known field/);
    expectRefused(await cli('client', 'apply', writeJson({ ...base, client_id: 'has space' })), /validation_failed: .*client_id/);
    expectRefused(await cli('client', 'show', base.client_id), /not_found/);
    expectUsageError(await cli('client', 'apply'), /missing FILE/);

    // the admin API checks the client_id of the URL too, not only the one of the body
    const { client_id: _id, ...withoutId } = base;
    const direct = await fetch(`${server.adminUrl}/admin/v1/clients/has%20space`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${server.adminToken.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(withoutId),
    });
    expect(direct.status).toBe(400);
    expect(((await direct.json()) as { details: { path: string }[] }).details).toEqual([expect.objectContaining({ path: '/client_id' })]);
    expect(okJson<Client[]>(await cli('client', 'list', '--json')).some((c) => c.client_id === 'has space')).toBe(false);
  });
});

describe('renkei and the admin API', () => {
  it('refuses a wrong token (exit 1) and says when no token is given (exit 2)', async () => {
    const wrong = await renkei(server, ['client', 'list', '--json'], { env: { RENKEI_ADMIN_TOKEN: 'wrong-token-0123456789abcdefghijklmnop' } });
    expectRefused(wrong, /^renkei: unauthorized: a valid admin bearer token is required/);
    expect(wrong.stderr).not.toContain('wrong-token-0123456789');
    const none = await renkei(server, ['client', 'list'], { env: { RENKEI_ADMIN_TOKEN: undefined } });
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('no admin credential for ');
  });

  it('reads the token from .renkei/admin-token in the current directory', async () => {
    const dir = scratchDir();
    mkdirSync(join(dir, '.renkei'));
    writeFileSync(join(dir, '.renkei', 'admin-token'), `${server.adminToken.token}\n`, { mode: 0o600 });
    const listed = await renkei(server, ['client', 'list', '--json'], { env: { RENKEI_ADMIN_TOKEN: undefined }, cwd: dir });
    expect(Array.isArray(okJson<unknown>(listed))).toBe(true);
    // the development server's token is never sent to a server elsewhere
    const elsewhere = await renkei(server, ['client', 'list', '--url', 'http://renkei-admin.invalid:3001'], { env: { RENKEI_ADMIN_TOKEN: undefined }, cwd: dir });
    expect([elsewhere.status, elsewhere.stderr.split('\n')[0]]).toEqual([2, 'renkei: no admin credential for http://renkei-admin.invalid:3001: run `renkei login`, or set RENKEI_ADMIN_TOKEN, or give --token-file FILE']);
  });

  it('names the URL when the admin API cannot be reached (exit 1)', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const result = await renkei(server, ['client', 'list'], { env: { RENKEI_ADMIN_URL: url } });
    expectRefused(result, `cannot reach the admin API at ${url} (connection refused)`);
    const tlsToPlain = server.adminUrl.replace(/^http:/, 'https:');
    expectRefused(await renkei(server, ['client', 'list'], { env: { RENKEI_ADMIN_URL: tlsToPlain } }), `cannot reach the admin API at ${tlsToPlain} (it answers plain http, not TLS: give its http:// address, or the https address of the proxy in front of it)`);
    const invalid = await renkei(server, ['client', 'list'], { env: { RENKEI_ADMIN_URL: 'ftp://127.0.0.1:3001' } });
    expect(invalid.status).toBe(2);
    expect(invalid.stderr).toContain('RENKEI_ADMIN_URL must be an http(s) URL');
  });

  it('is not served on the public listener', async () => {
    const response = await fetch(`${server.issuer}/admin/v1/clients`, { headers: { authorization: `Bearer ${server.adminToken.token}` } });
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('client_id');
    const result = await renkei(server, ['client', 'list'], { env: { RENKEI_ADMIN_URL: server.issuer } });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`unexpected answer from ${server.issuer}/admin/v1/clients: HTTP 404; is ${server.issuer} renkei's admin listener?`);
  });

  it('lists clients as a table when piped, and a row at a time on a terminal narrower than the table', async () => {
    await createClient();
    const piped = await renkei(server, ['client', 'list']);
    expect(piped.stdout.split('\n')[0]).toMatch(/^CLIENT_ID +NAME +STATUS +PROFILE +AUTH_METHOD +SCOPE +REDIRECT_URIS$/);
    const stdout = Object.assign(new Collected(), { isTTY: true, columns: 80 });
    const stdin = new PassThrough();
    stdin.end('');
    const env = { RENKEI_ADMIN_URL: server.adminUrl, RENKEI_ADMIN_TOKEN: server.adminToken.token, HOME: scratchDir() };
    expect(await runCli(['client', 'list'], { stdin, stdout, stderr: new Collected(), env, cwd: scratchDir() })).toBe(0);
    // (other test files add clients to the run's Redis meanwhile: the listing is judged by itself)
    const records = stdout.text.trimEnd().split('\n\n');
    expect(records.length).toBeGreaterThan(0);
    expect(records.map((record) => record.split('\n')[0])).toEqual(records.map((_, n) => `-[ ${n + 1} of ${records.length} ]`));
    for (const record of records) {
      expect(record.split('\n').slice(1).map((line) => line.split(' ')[0])).toEqual(['CLIENT_ID', 'NAME', 'STATUS', 'PROFILE', 'AUTH_METHOD', 'SCOPE', 'REDIRECT_URIS']);
    }
  });

  it('takes an empty or non-JSON 2xx for what it is: not renkei (exit 1, nothing on stdout), with --json too', async () => {
    for (const [status, body] of [[202, ''], [200, '<html>ok</html>'], [200, '']] as const) {
      const other = createServer((_request, response) => {
        response.writeHead(status, body ? { 'content-type': 'text/html' } : {});
        response.end(body);
      });
      await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
      try {
        for (const args of [['client', 'list', '--json'], ['user', 'list']]) {
          const result = await renkei(server, args, { env: { RENKEI_ADMIN_URL: url } });
          expect([args.join(' '), status, body, result.status, result.stdout]).toEqual([args.join(' '), status, body, 1, '']);
          expect(result.stderr).toContain(`is ${url} renkei's admin listener?`);
          expect(result.stderr).not.toMatch(/Cannot read properties|undefined/);
        }
      } finally {
        other.close();
      }
    }
  });

  it('never prints a client secret outside its one-time output, nor logs one', () => {
    expect(issuedSecrets.length).toBeGreaterThanOrEqual(8);
    const printedOnce = (secret: string) => transcript.filter((r: CliResult) => r.stdout.includes(secret) || r.stderr.includes(secret)).length;
    expect(issuedSecrets.map(printedOnce)).toEqual(issuedSecrets.map(() => 1));
    expectNoSecrets([server.logs.text], issuedSecrets);
    expect(server.logs.text).not.toContain(server.adminToken.token);
  });
});
