/**
 * `client delete` and `user delete` end every grant at once and cannot be undone: on a terminal
 * they ask for the ID typed again (anything else cancels, exit 1, nothing deleted); `--yes` and
 * scripts (stdin not a terminal) go straight ahead.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createCustomer } from '../../support/oauth-fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { expectRefused, okJson, renkei, runRenkei, terminalInput } from './cli-kit.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const cli = (...args: string[]) => renkei(server, args);
const onTerminal = (args: string[], typed: string) =>
  runRenkei(args, { stdin: terminalInput(typed), env: { RENKEI_ADMIN_URL: server.adminUrl, RENKEI_ADMIN_TOKEN: server.adminToken.token } });
const newClient = async () => okJson<{ client_id: string }>(await cli('client', 'create', '--name', '家計簿アプリ', '--redirect-uri', 'https://kakeibo.example/cb', '--json')).client_id;

describe('renkei client delete on a terminal', () => {
  it('asks for the client ID typed again, naming the partner and what is lost; anything else cancels and deletes nothing', async () => {
    const clientId = await newClient();
    const cancelled = await onTerminal(['client', 'delete', clientId], 'c-other\r');
    expect([cancelled.status, cancelled.stdout]).toEqual([1, '']);
    expect(cancelled.stderr).toBe(
      `Deleting client ${clientId} (家計簿アプリ) revokes every grant it holds, and every token under them, at once; it cannot be undone.\n`
      + `Type ${clientId} to delete it: c-other\nrenkei: cancelled: nothing was deleted\n`,
    );
    expect(okJson<{ client_id: string }>(await cli('client', 'show', clientId, '--json')).client_id).toBe(clientId);

    const confirmed = await onTerminal(['client', 'delete', clientId], `${clientId}\r`);
    expect([confirmed.status, confirmed.stdout]).toEqual([0, `deleted client ${clientId}; every grant it held has been revoked\n`]);
    expectRefused(await cli('client', 'show', clientId), /not_found/);
  });

  it('goes straight ahead with --yes, and when stdin is not a terminal (scripts)', async () => {
    const [first, second] = [await newClient(), await newClient()];
    const withYes = await onTerminal(['client', 'delete', first, '--yes'], '');
    expect([withYes.status, withYes.stderr]).toEqual([0, '']);
    const scripted = await cli('client', 'delete', second);
    expect([scripted.status, scripted.stderr]).toEqual([0, '']);
  });
});

describe('renkei user delete on a terminal', () => {
  it('asks for the login ID typed again; the right one deletes the customer', async () => {
    const customer = await createCustomer(server);
    const cancelled = await onTerminal(['user', 'delete', customer.loginId], '\r');
    expect([cancelled.status, cancelled.stderr.split('\n').at(-2)]).toEqual([1, 'renkei: cancelled: nothing was deleted']);
    const { name } = okJson<{ name: string }>(await cli('user', 'show', customer.loginId, '--json'));
    expect(cancelled.stderr).toContain(`Deleting user ${customer.loginId} (${name}) revokes every grant they gave, and every token under them, at once; it cannot be undone.`);
    expect(await server.app.customers.findByLoginId(customer.loginId)).toBeDefined();
    const confirmed = await onTerminal(['user', 'delete', customer.loginId], `${customer.loginId}\r`);
    expect(confirmed.status).toBe(0);
    expect(await server.app.customers.findByLoginId(customer.loginId)).toBeUndefined();
    // an unknown login ID is refused before anything is asked
    const unknown = await onTerminal(['user', 'delete', customer.loginId], '');
    expect([unknown.status, unknown.stderr]).toEqual([1, expect.stringMatching(/^renkei: not_found: /)]);
  });
});
