import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { generateKeyFiles } from '../../../src/keys/generate-keys.js';
import { readKeyFiles } from '../../../src/keys/key-files.js';
import { loadSettings } from '../../../src/settings/load-settings.js';
import { startupProblems } from '../../../src/settings/production-rules.js';

const productionWith = (dir: string) =>
  loadSettings({ env: { NODE_ENV: 'production', RENKEI_ADMIN_TOKEN: 'a'.repeat(32), RENKEI_REDIS_URL: 'redis://r:6379', RENKEI_ISSUER: 'https://auth.example.jp', RENKEI_KEYS_DIR: dir } });

describe('key files that are there but cannot be used', () => {
  it('says a file that cannot be read, or is not JSON, is so — without suggesting to create keys that already exist', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'renkei-keys-'));
    await generateKeyFiles(dir);
    const jwks = join(dir, 'jwks.json');
    const cookies = join(dir, 'cookies.json');
    // a directory where the file should be reads as EISDIR (as root, a file without read permission still reads)
    rmSync(jwks);
    mkdirSync(jwks);
    writeFileSync(cookies, '{ not json');
    const { problems } = readKeyFiles(dir);
    expect(problems).toEqual([
      expect.stringMatching(new RegExp(`^signing keys: ${jwks} cannot be read: EISDIR`)),
      `cookie secrets: ${cookies} is not valid JSON`,
    ]);
    const refused = startupProblems(productionWith(dir), problems);
    expect(refused.some((problem) => problem.includes('--only-missing'))).toBe(false);
  });
});
