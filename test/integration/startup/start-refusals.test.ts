import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { projectRoot } from '../../../src/settings/project-root.js';
import { freePort } from '../../support/redis-server.mjs';
import { testKeysDir } from '../../support/test-server.js';

/** The system's own Node (Debian's is older than 24); these tests need it and say so when it is absent. */
const SYSTEM_NODE = '/usr/bin/node';

function run(node: string, [script, ...args]: readonly string[], env: Record<string, string> = {}): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(node, [script!, ...args], {
      cwd: mkdtempSync(join(tmpdir(), 'renkei-start-')),
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

const lines = (text: string) => text.split('\n').filter(Boolean);

describe('a port already in use', () => {
  let holder: Server;
  let port: number;
  beforeAll(async () => {
    port = await freePort();
    holder = createServer();
    await new Promise<void>((resolve) => holder.listen(port, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => holder.close(() => resolve())));

  const base = async () => ({ NODE_ENV: 'development', RENKEI_REDIS_URL: '', RENKEI_HOST: '127.0.0.1', RENKEI_ADMIN_HOST: '127.0.0.1', RENKEI_KEYS_DIR: await testKeysDir(), RENKEI_ADMIN_TOKEN: 'a-test-admin-token-0123456789abcdefghij', RENKEI_LOG_LEVEL: 'silent' });

  it.each([
    ['RENKEI_PORT', (p: number, other: number) => ({ RENKEI_PORT: String(p), RENKEI_ADMIN_PORT: String(other) })],
    ['RENKEI_ADMIN_PORT', (p: number, other: number) => ({ RENKEI_PORT: String(other), RENKEI_ADMIN_PORT: String(p) })],
  ])('names %s in one line and exits 1', async (variable, ports) => {
    const { code, stderr } = await run(process.execPath, [join(projectRoot(), 'dist/src/main.js')], { ...(await base()), ...ports(port, await freePort()) });
    expect(code).toBe(1);
    expect(lines(stderr)).toEqual([`renkei cannot start: port ${port} is already in use; stop what holds it or choose another port with ${variable}`]);
  });
});

describe('a listener host that is not this machine\'s', () => {
  const base = async () => ({ NODE_ENV: 'development', RENKEI_REDIS_URL: '', RENKEI_KEYS_DIR: await testKeysDir(), RENKEI_ADMIN_TOKEN: 'a-test-admin-token-0123456789abcdefghij', RENKEI_LOG_LEVEL: 'silent' });

  it.each([
    ['RENKEI_ADMIN_HOST', { RENKEI_HOST: '127.0.0.1', RENKEI_ADMIN_HOST: 'not-a-host.invalid' }, 'the host not-a-host.invalid cannot be resolved'],
    ['RENKEI_HOST', { RENKEI_HOST: '192.0.2.123', RENKEI_ADMIN_HOST: '127.0.0.1' }, '192.0.2.123 is not an address of this machine'],
  ])('names %s in one line and exits 1', async (variable, hosts, what) => {
    const ports = { RENKEI_PORT: String(await freePort()), RENKEI_ADMIN_PORT: String(await freePort()) };
    const { code, stderr } = await run(process.execPath, [join(projectRoot(), 'dist/src/main.js')], { ...(await base()), ...ports, ...hosts });
    expect(code).toBe(1);
    expect(lines(stderr)).toEqual([`renkei cannot start: ${what}; set ${variable} to an address of this machine (0.0.0.0 for all of them)`]);
  });
});

describe('the test suite\'s fast hashing', () => {
  it('is refused in production, by name', async () => {
    const { code, stderr } = await run(process.execPath, [join(projectRoot(), 'dist/src/main.js')], {
      NODE_ENV: 'production', RENKEI_TEST_FAST_HASHING: '1', RENKEI_ISSUER: 'https://auth.example-shinkumi.jp',
      RENKEI_REDIS_URL: process.env.RENKEI_TEST_REDIS_URL!, RENKEI_KEYS_DIR: await testKeysDir(), RENKEI_ADMIN_TOKEN: 'a-test-admin-token-0123456789abcdefghij',
    });
    expect(code).toBe(1);
    expect(stderr).toContain('RENKEI_TEST_FAST_HASHING is for the test suite only');
  });
});

describe('started by a Node.js older than 24', () => {
  beforeAll(() => {
    if (!existsSync(SYSTEM_NODE)) throw new Error(`${SYSTEM_NODE} is missing: these tests start the server with the system's older Node (apt-get install nodejs)`);
  });

  it('the server says in one line which Node it needs and how to start it', async () => {
    const { code, stderr, stdout } = await run(SYSTEM_NODE, [join(projectRoot(), 'dist/src/main.js')]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(lines(stderr)).toHaveLength(1);
    expect(stderr).toMatch(/^renkei needs Node\.js 24 \(this is v\d+\.\d+\.\d+\): start it with `npm start`, or run node_modules\/node\/bin\/node dist\/src\/main\.js after `npm ci`\n$/);
    expect(stderr).not.toContain('SyntaxError');
  });

  it('the CLI hands over to the project\'s Node 24', async () => {
    const { code, stdout, stderr } = await run(SYSTEM_NODE, [join(projectRoot(), 'bin/renkei.js'), '--version']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toMatch(/^renkei \d+\.\d+\.\d+/);
  });

  it('the CLI without the project\'s Node 24 says in one line what it needs and how', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'renkei-cli-copy-'));
    mkdirSync(join(copy, 'bin'));
    copyFileSync(join(projectRoot(), 'bin/renkei.js'), join(copy, 'bin/renkei.js'));
    copyFileSync(join(projectRoot(), 'package.json'), join(copy, 'package.json'));
    const { code, stderr } = await run(SYSTEM_NODE, [join(copy, 'bin/renkei.js'), '--version']);
    expect(code).toBe(2);
    expect(lines(stderr)).toEqual([expect.stringMatching(/^renkei needs Node\.js 24 \(this is v\d+\.\d+\.\d+\); run `npm ci` in the project first$/)]);
  });
});
