/** What the built server writes while it serves: JSON log lines only, for a log shipper to read. */
import { afterEach, describe, expect, it } from '@jest/globals';
import { startBuiltServer, killBuiltServer, type BuiltServer } from '../../support/built-server.js';
import { freePort } from '../../support/redis-server.mjs';

let server: BuiltServer | undefined;
afterEach(() => killBuiltServer(server));

const form = (body: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(body).toString(),
});

describe('the server\'s output while serving', () => {
  it('is JSON lines on stdout and only the development banner on stderr, oidc-provider\'s own notices included', async () => {
    const port = await freePort();
    server = await startBuiltServer(port, { RENKEI_LOG_LEVEL: 'debug' });
    const base = `http://127.0.0.1:${port}`;
    // the token endpoint's body is read before oidc-provider reads it (the per-client limit), which
    // oidc-provider notes with a console warning the first time
    for (let i = 0; i < 2; i += 1) {
      expect((await fetch(`${base}/token`, form({ grant_type: 'refresh_token', refresh_token: 'x', client_id: 'nobody', client_secret: 'y' }))).status).toBe(401);
    }
    expect((await fetch(`${base}/token/introspection`, form({ token: 'x', client_id: 'nobody', client_secret: 'y' }))).status).toBe(401);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);

    // stderr: the development banner (the issuer, its URLs, the store), and nothing else
    expect(server.stderr()).not.toContain('oidc-provider');
    expect(server.stderr().split('\n').filter((line) => line !== '' && line !== 'renkei (development mode)' && !line.startsWith('  '))).toEqual([]);
    const lines = server.stdout().split('\n').filter(Boolean);
    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const notices = records.filter((record) => record.event === 'provider.notice');
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ level: 20, service: 'renkei' });
    expect(String(notices[0]!.msg)).toContain('already parsed request body');
    expect(records.filter((record) => record.event === 'http.request')).toHaveLength(3);
  });
});
