import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { generateKeyFiles } from '../../../src/keys/generate-keys.js';
import { DPOP_NONCE_FILE, KEY_FILES, readKeyFiles } from '../../../src/keys/key-files.js';
import { loadKeys } from '../../../src/keys/load-keys.js';
import { loadSettings } from '../../../src/settings/load-settings.js';
import { startupProblems } from '../../../src/settings/production-rules.js';
import { createLogger } from '../../../src/shared/logger.js';

const freshDir = () => mkdtempSync(join(tmpdir(), 'renkei-keys-'));

describe('keys/dpop-nonce.json (the DPoP nonce secret every instance shares)', () => {
  it('is written by key generation (mode 0600) as 32 random bytes, base64url, and read back', async () => {
    const dir = freshDir();
    const generated = await generateKeyFiles(dir);
    expect(generated.written).toEqual(KEY_FILES.map((file) => join(dir, file)));
    const { secret } = JSON.parse(readFileSync(join(dir, DPOP_NONCE_FILE), 'utf8')) as { secret: string };
    expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
    const { material, problems } = readKeyFiles(dir);
    expect(problems).toEqual([]);
    expect(material!.dpopNonceSecret.equals(Buffer.from(secret, 'base64url'))).toBe(true);
  });

  it('is named when missing or malformed', async () => {
    const dir = freshDir();
    await generateKeyFiles(dir);
    rmSync(join(dir, DPOP_NONCE_FILE));
    expect(readKeyFiles(dir).problems).toEqual([`DPoP nonce secret: ${join(dir, DPOP_NONCE_FILE)} is missing`]);
    writeFileSync(join(dir, DPOP_NONCE_FILE), JSON.stringify({ secret: Buffer.alloc(16).toString('base64url') }));
    expect(readKeyFiles(dir).problems).toEqual([`${join(dir, DPOP_NONCE_FILE)}: expected {"secret": "<32 bytes, base64url>"}`]);
  });

  it('completes an older keys directory with onlyMissing, leaving the other files as they were', async () => {
    const dir = freshDir();
    await generateKeyFiles(dir);
    const before = KEY_FILES.filter((file) => file !== DPOP_NONCE_FILE).map((file) => readFileSync(join(dir, file), 'utf8'));
    rmSync(join(dir, DPOP_NONCE_FILE));
    await expect(generateKeyFiles(dir)).rejects.toThrow(/already exists; refusing to overwrite keys/);
    const completed = await generateKeyFiles(dir, { onlyMissing: true });
    expect(completed.written).toEqual([join(dir, DPOP_NONCE_FILE)]);
    expect(KEY_FILES.filter((file) => file !== DPOP_NONCE_FILE).map((file) => readFileSync(join(dir, file), 'utf8'))).toEqual(before);
    expect(readKeyFiles(dir).problems).toEqual([]);
  });

  it('production refuses to start without it, naming the file and how to create only what is missing', () => {
    const settings = loadSettings({
      env: { NODE_ENV: 'production', RENKEI_ADMIN_TOKEN: 'a'.repeat(32), RENKEI_REDIS_URL: 'redis://r:6379', RENKEI_ISSUER: 'https://auth.example.jp', RENKEI_KEYS_DIR: '/etc/renkei/keys' },
    });
    expect(startupProblems(settings, ['DPoP nonce secret: /etc/renkei/keys/dpop-nonce.json is missing'])).toEqual([
      'DPoP nonce secret: /etc/renkei/keys/dpop-nonce.json is missing (create keys with `renkei keys generate --dir /etc/renkei/keys --only-missing`)',
    ]);
  });

  it('development generates it when only it is missing', async () => {
    const dir = freshDir();
    await generateKeyFiles(dir);
    rmSync(join(dir, DPOP_NONCE_FILE));
    const settings = loadSettings({ env: { RENKEI_KEYS_DIR: dir } });
    const { material, problems } = await loadKeys(settings, createLogger({ level: 'silent' }));
    expect(problems).toEqual([]);
    expect(material!.dpopNonceSecret).toHaveLength(32);
  });
});
