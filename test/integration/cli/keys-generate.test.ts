import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { readKeyFiles } from '../../../src/keys/key-files.js';
import { runRenkei } from './cli-kit.js';

const renkei = (...args: string[]) => runRenkei(args);

describe('renkei keys generate', () => {
  it('writes private keys the server accepts, mode 0600, and prints only public facts with --json', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'renkei-keys-')), 'keys');
    const result = await renkei('keys', 'generate', '--dir', dir, '--json');
    expect(result.status).toBe(0);
    const printed = JSON.parse(result.stdout) as { keys: { kid: string; alg: string }[] };
    expect(printed.keys.map((k) => k.alg).sort()).toEqual(['ES256', 'EdDSA', 'PS256', 'RS256']);
    expect(result.stdout).not.toContain('"d"');

    expect(readKeyFiles(dir).problems).toEqual([]);
    expect(statSync(join(dir, 'jwks.json')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'cookies.json')).mode & 0o777).toBe(0o600);
    const { keys } = JSON.parse(readFileSync(join(dir, 'jwks.json'), 'utf8')) as { keys: { kid: string }[] };
    expect(keys.map((k) => k.kid).sort()).toEqual(printed.keys.map((k) => k.kid).sort());
  });

  it('refuses to overwrite existing keys (exit 1) and reports usage errors (exit 2)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'renkei-keys-'));
    expect((await renkei('keys', 'generate', '--dir', dir)).status).toBe(0);
    const again = await renkei('keys', 'generate', '--dir', dir);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('already exists');
    const usage = await renkei('keys', 'generate', '--colour', 'blue');
    expect(usage.status).toBe(2);
    expect(usage.stderr).toBe('renkei: unknown flag --colour\nRun `renkei keys generate --help` for its options and examples.\n');
  });
});
