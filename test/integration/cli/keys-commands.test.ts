import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateKeyFiles } from '../../../src/keys/generate-keys.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { discovery, expectRefused, expectUsageError, okJson, renkei } from './cli-kit.js';

interface KeyFacts {
  kid: string;
  alg: string;
  kty: string;
  use: string;
  status: string;
  signs_from: string | null;
  published_until: string | null;
}

let server: TestServer;

beforeAll(async () => {
  // keys of its own: rotating must not touch the keys the other test files share
  const keysDir = mkdtempSync(join(tmpdir(), 'renkei-cli-keys-'));
  await generateKeyFiles(keysDir);
  server = await startTestServer({ env: { RENKEI_KEYS_DIR: keysDir } });
});
afterAll(() => server.close());

const cli = (...args: string[]) => renkei(server, args);

describe('renkei keys list | rotate', () => {
  it('lists the public facts of the signing keys', async () => {
    const keys = okJson<KeyFacts[]>(await cli('keys', 'list', '--json'));
    const published = (await (await fetch((await discovery(server)).jwks_uri!)).json()) as { keys: { kid: string }[] };
    expect(keys.map((k) => k.kid).sort()).toEqual(published.keys.map((k) => k.kid).sort());
    expect(keys.map((k) => k.alg).sort()).toEqual(['ES256', 'EdDSA', 'PS256', 'RS256']);
    for (const key of keys) expect(key).toMatchObject({ status: 'signing', use: 'sig' });
    expect(JSON.stringify(keys)).not.toMatch(/"(d|p|q|dp|dq|qi)"/);

    const table = await cli('keys', 'list');
    expect(table.stdout).toMatch(/^KID\s+ALG\s+KTY\s+USE\s+STATUS\s+SIGNS_FROM\s+PUBLISHED_UNTIL$/m);
    for (const key of keys) expect(table.stdout).toMatch(new RegExp(`^${key.kid}\\s+${key.alg}\\s+${key.kty}\\s+sig\\s+signing\\s+-\\s+-$`, 'm'));
  });

  it('stages new keys: published now, signing after the delay; the old ones retiring', async () => {
    const before = okJson<KeyFacts[]>(await cli('keys', 'list', '--json'));
    const started = Date.now();
    const rotation = okJson<{ added: { kid: string; alg: string; signs_from: string }[]; retiring: { kid: string; published_until: string }[] }>(
      await cli('keys', 'rotate', '--delay', '3600', '--json'),
    );
    expect(rotation.added.map((k) => k.alg).sort()).toEqual(['ES256', 'EdDSA', 'PS256', 'RS256']);
    expect(rotation.retiring.map((k) => k.kid).sort()).toEqual(before.map((k) => k.kid).sort());
    for (const key of rotation.added) expect(Math.abs(Date.parse(key.signs_from) - started - 3600_000)).toBeLessThan(10_000);

    const after = okJson<KeyFacts[]>(await cli('keys', 'list', '--json'));
    expect(after).toHaveLength(8);
    for (const key of rotation.added) expect(after.find((k) => k.kid === key.kid)?.status).toBe('pending');
    for (const key of before) expect(after.find((k) => k.kid === key.kid)?.status).toBe('signing');

    const human = await cli('keys', 'rotate', '--delay', '60');
    expect(human.status).toBe(0);
    expect(human.stdout).toMatch(/^new keys \(published now\):\nKID\s+ALG\s+SIGNS_FROM$/m);
    expect(human.stdout).toMatch(/^retiring keys/m);
  });

  it('refuses a delay the server does not accept (exit 1) and reports usage errors (exit 2)', async () => {
    expectRefused(await cli('keys', 'rotate', '--delay', '99999999'), /validation_failed: \/delay_seconds must be <= 2592000/);
    expectUsageError(await cli('keys', 'rotate', '--delay', 'soon'), /--delay must be a whole number of seconds/);
    expectUsageError(await cli('keys', 'rotate', '--delay', '-5'), /--delay/);
    expectUsageError(await cli('keys', 'list', 'all'), /too many arguments: all/);
  });
});
