import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { okJson, runRenkei, scratchDir } from './cli-kit.js';

let server: TestServer;
let port: string;
beforeAll(async () => {
  server = await startTestServer();
  port = new URL(server.adminUrl).port;
});
afterAll(() => server.close());

const token = () => server.adminToken.token;
const nowhere = 'http://127.0.0.1:9';

describe('where renkei finds the admin API and its credential', () => {
  it('uses RENKEI_ADMIN_HOST / RENKEI_ADMIN_PORT when no URL is given (a wildcard host means the loopback)', async () => {
    for (const host of ['127.0.0.1', '0.0.0.0']) {
      const result = await runRenkei(['client', 'list', '--json'], { env: { RENKEI_ADMIN_HOST: host, RENKEI_ADMIN_PORT: port, RENKEI_ADMIN_TOKEN: token() } });
      expect(Array.isArray(okJson<unknown>(result))).toBe(true);
    }
    const bad = await runRenkei(['client', 'list'], { env: { RENKEI_ADMIN_PORT: 'admin', RENKEI_ADMIN_TOKEN: token() } });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('RENKEI_ADMIN_PORT must be a port number (not "admin")');
  });

  it('--url wins over RENKEI_ADMIN_URL, which wins over host and port', async () => {
    const env = { RENKEI_ADMIN_URL: nowhere, RENKEI_ADMIN_HOST: '127.0.0.1', RENKEI_ADMIN_PORT: '9', RENKEI_ADMIN_TOKEN: token() };
    okJson<unknown>(await runRenkei(['client', 'list', '--json', '--url', server.adminUrl], { env }));
    const viaEnv = await runRenkei(['client', 'list'], { env: { ...env, RENKEI_ADMIN_URL: server.adminUrl } });
    expect(viaEnv.status).toBe(0);
    const unreachable = await runRenkei(['client', 'list'], { env });
    expect(unreachable.stderr).toContain(`cannot reach the admin API at ${nowhere}`);
  });

  it('--token-file wins over RENKEI_ADMIN_TOKEN', async () => {
    const file = join(scratchDir(), 'token');
    writeFileSync(file, `${token()}\n`, { mode: 0o600 });
    const result = await runRenkei(['client', 'list', '--json', '--token-file', file], { env: { RENKEI_ADMIN_URL: server.adminUrl, RENKEI_ADMIN_TOKEN: 'wrong-0123456789abcdefghijklmnopqrstu' } });
    okJson<unknown>(result);
  });

  it('refuses a --token-file that cannot be used as it refuses a missing one (exit 1), never repeating its content', async () => {
    const env = { RENKEI_ADMIN_URL: server.adminUrl };
    for (const content of ['', '\n', 'two words\n']) {
      const file = join(scratchDir(), 'token');
      writeFileSync(file, content, { mode: 0o600 });
      const result = await runRenkei(['client', 'list', '--token-file', file], { env });
      expect([result.status, result.stdout]).toEqual([1, '']);
      expect(result.stderr).toBe(`renkei: the admin credential in --token-file ${file} is empty or holds characters a bearer token cannot have\n`);
    }
    const missing = await runRenkei(['client', 'list', '--token-file', join(scratchDir(), 'none')], { env });
    expect(missing.status).toBe(1);
  });

  it('sends what `renkei login` stored only to the server it was stored for; the login server becomes the default', async () => {
    const home = scratchDir();
    const login = await runRenkei(['login', '--url', server.adminUrl], { input: token(), env: { HOME: home } });
    expect(login.stdout).toContain(`logged in to ${server.adminUrl} as bootstrap (admin)`);
    okJson<unknown>(await runRenkei(['client', 'list', '--json'], { env: { HOME: home } }));
    const elsewhere = await runRenkei(['client', 'list'], { env: { HOME: home, RENKEI_ADMIN_URL: nowhere } });
    expect(elsewhere.status).toBe(2);
    expect(elsewhere.stderr).toBe(`renkei: no admin credential for ${nowhere}: run \`renkei login\`, or set RENKEI_ADMIN_TOKEN, or give --token-file FILE\nRun \`renkei client list --help\` for its options and examples.\n`);
    const xdg = scratchDir();
    const viaXdg = await runRenkei(['login', '--url', server.adminUrl, '--json'], { input: token(), env: { HOME: home, XDG_CONFIG_HOME: xdg } });
    expect(okJson<{ file: string }>(viaXdg).file).toBe(join(xdg, 'renkei', 'credentials.json'));
    const logout = await runRenkei(['logout'], { env: { HOME: home } });
    expect(logout.stdout).toBe(`forgot the credential for ${server.adminUrl}\n`);
    expect((await runRenkei(['client', 'list'], { env: { HOME: home, RENKEI_ADMIN_URL: server.adminUrl } })).status).toBe(2);
  });

  it('refuses an empty login (exit 2) and names the problem in words', async () => {
    const empty = await runRenkei(['login', '--url', server.adminUrl], { input: '\n' });
    expect(empty.status).toBe(2);
    expect(empty.stderr).toMatch(/^renkei: no credential: paste it at the prompt, or give it on stdin$/m);
  });
});
