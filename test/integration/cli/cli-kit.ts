import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from '@jest/globals';
import { projectRoot } from '../../../src/settings/project-root.js';
import type { TestServer } from '../../support/test-server.js';

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliOptions {
  /** written to the CLI's stdin, then closed */
  readonly input?: string;
  /** replaces RENKEI_ADMIN_URL / RENKEI_ADMIN_TOKEN (undefined: left out) */
  readonly env?: Record<string, string | undefined>;
  readonly cwd?: string;
}

const BIN = join(projectRoot(), 'bin/renkei.js');

/** Every CLI output of the test file, to check that no secret was ever printed where it should not be. */
export const transcript: CliResult[] = [];

/**
 * Runs the real `renkei` as a subprocess against the server. Asynchronously: the server runs in this
 * process, so a spawnSync would block the very event loop that has to answer the CLI.
 */
export function renkei(server: TestServer, args: readonly string[], { input, env, cwd }: CliOptions = {}): Promise<CliResult> {
  const environment: Record<string, string> = { PATH: process.env.PATH! };
  const wanted = { RENKEI_ADMIN_URL: server.adminUrl, RENKEI_ADMIN_TOKEN: server.adminToken.token, ...env };
  for (const [name, value] of Object.entries(wanted)) if (value !== undefined) environment[name] = value;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: environment, cwd: cwd ?? scratchDir() });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => {
      const result = { status, stdout, stderr };
      transcript.push(result);
      resolve(result);
    });
    child.stdin.on('error', () => {}); // the CLI may exit before reading stdin
    child.stdin.end(input ?? '');
  });
}

/** A fresh directory with no .renkei/admin-token in it. */
export const scratchDir = () => mkdtempSync(join(tmpdir(), 'renkei-cli-'));

export function writeJson(value: unknown): string {
  const file = join(scratchDir(), 'input.json');
  writeFileSync(file, JSON.stringify(value));
  return file;
}

/** Exit 0, nothing on stderr, and stdout parsed as JSON. */
export function okJson<T>(result: CliResult): T {
  expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
  return JSON.parse(result.stdout) as T;
}

/** Exit 1 (refused), nothing on stdout, the message on stderr. */
export function expectRefused(result: CliResult, message: string | RegExp): void {
  expect({ status: result.status, stdout: result.stdout }).toEqual({ status: 1, stdout: '' });
  expect(result.stderr).toMatch(message);
  expect(result.stderr).not.toContain('unexpected error');
}

/** Exit 2 (usage), nothing on stdout, the reason and the usage on stderr. */
export function expectUsageError(result: CliResult, message: string | RegExp, usage = 'Usage: renkei'): void {
  expect({ status: result.status, stdout: result.stdout }).toEqual({ status: 2, stdout: '' });
  expect(result.stderr).toMatch(message);
  expect(result.stderr).toContain(usage);
}

/** None of the secrets appears in any text given. */
export function expectNoSecrets(texts: readonly string[], secrets: readonly string[]): void {
  for (const secret of secrets) {
    for (const text of texts) expect(text.includes(secret) ? `${secret} appears in: ${text.slice(0, 400)}` : 'absent').toBe('absent');
  }
}

/** The public listener's discovery document, for the endpoint paths. */
export async function discovery(server: TestServer): Promise<Record<string, string>> {
  const response = await fetch(`${server.issuer}/.well-known/openid-configuration`);
  return (await response.json()) as Record<string, string>;
}
