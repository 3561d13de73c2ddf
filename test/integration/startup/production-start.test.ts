import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { projectRoot } from '../../../src/settings/project-root.js';

function runMain(env: Record<string, string>): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(projectRoot(), 'dist/src/main.js')], {
      cwd: mkdtempSync(join(tmpdir(), 'renkei-prod-')),
      env: { PATH: process.env.PATH!, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, stdout });
    });
  });
}

describe('NODE_ENV=production npm start (the built server)', () => {
  it('refuses to start without Redis, keys, cookie secrets and an admin token, naming each', async () => {
    const { code, stderr } = await runMain({ NODE_ENV: 'production', RENKEI_ISSUER: 'https://auth.example-shinkumi.jp' });
    expect(code).toBe(1);
    expect(stderr).toContain('renkei cannot start');
    expect(stderr).toContain('RENKEI_REDIS_URL is not set');
    expect(stderr).toContain('RENKEI_ADMIN_TOKEN is not set');
    expect(stderr).toMatch(/signing keys: .*jwks\.json is missing/);
    expect(stderr).toMatch(/cookie secrets: .*cookies\.json is missing/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses an invalid configuration value, naming it first, with what production still lacks', async () => {
    const { code, stderr } = await runMain({ NODE_ENV: 'production', RENKEI_PORT: '99999' });
    expect(code).toBe(1);
    expect(stderr).toContain('renkei cannot start:\n  - RENKEI_PORT (/server/port): 99999 is invalid, expected at most 65535\n');
    expect(stderr).toContain('RENKEI_REDIS_URL is not set');
    expect(stderr).toMatch(/signing keys: .*jwks\.json is missing/);
    // the issuer made from the refused port is not complained of as well
    expect(stderr).not.toContain('RENKEI_ISSUER must be');
  });
});
