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

describe('renkei keys rotate --dir (no server: read-only mounts)', () => {
  it('adds a key per algorithm to DIR/jwks.json, signing after the delay, the old ones published until their tokens expired; the files stay usable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'renkei-keys-'));
    expect((await renkei('keys', 'generate', '--dir', dir)).status).toBe(0);
    const before = (JSON.parse(readFileSync(join(dir, 'jwks.json'), 'utf8')) as { keys: { kid: string }[] }).keys.map((k) => k.kid);
    const started = Date.now();
    const result = await renkei('keys', 'rotate', '--dir', dir, '--delay', '3600', '--json');
    expect(result.status).toBe(0);
    const rotation = JSON.parse(result.stdout) as { added: { kid: string; alg: string; signs_from: string }[]; retiring: { kid: string; published_until: string }[] };
    expect(rotation.added.map((k) => k.alg).sort()).toEqual(['ES256', 'EdDSA', 'PS256', 'RS256']);
    expect(rotation.retiring.map((k) => k.kid).sort()).toEqual([...before].sort());
    const signsFrom = Date.parse(rotation.added[0]!.signs_from);
    expect(signsFrom - started).toBeGreaterThanOrEqual(3599_000);
    expect(signsFrom - started).toBeLessThan(3700_000);
    // published until the longest token lifetime (the default configuration's) and 5 minutes after the switch
    expect(Date.parse(rotation.retiring[0]!.published_until) - signsFrom).toBeGreaterThan(0);
    const after = (JSON.parse(readFileSync(join(dir, 'jwks.json'), 'utf8')) as { keys: { kid: string }[] }).keys.map((k) => k.kid);
    expect(after).toEqual([...before, ...rotation.added.map((k) => k.kid)]);
    expect(readKeyFiles(dir).problems).toEqual([]);
    expect(result.stdout).not.toContain('"d"');
  });

  it('says what is wrong with a directory that holds no keys (exit 1), and that --dir takes no --url (exit 2)', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'renkei-keys-'));
    const missing = await renkei('keys', 'rotate', '--dir', empty);
    expect(missing.status).toBe(1);
    expect(missing.stderr.split('\n')[0]).toBe(`renkei: ${empty} holds no jwks.json: renkei keys generate --dir ${empty} creates the key files`);
    const both = await renkei('keys', 'rotate', '--dir', empty, '--url', 'http://127.0.0.1:3001');
    expect([both.status, both.stderr.split('\n')[0]]).toEqual([2, 'renkei: --dir rotates the files with no server: leave out --url and --token-file']);
  });
});
