import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { expect } from '@jest/globals';
import { runCli } from '../../../src/cli/main.js';
import type { CommandInput } from '../../../src/cli/command.js';
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

/** Every CLI output of the test file, to check that no secret was ever printed where it should not be. */
export const transcript: CliResult[] = [];

/** Text written to a stream, collected. */
export class Collected {
  text = '';
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

/**
 * Runs `renkei` in this process through its entry function, as the binary would with these
 * arguments, stdin, environment and directory (HOME is a fresh directory: no stored login).
 */
export async function runRenkei(args: readonly string[], { input, env = {}, cwd, stdin }: CliOptions & { stdin?: CommandInput } = {}): Promise<CliResult> {
  const stdout = new Collected();
  const stderr = new Collected();
  const environment: Record<string, string> = { HOME: scratchDir() };
  for (const [name, value] of Object.entries(env)) if (value !== undefined) environment[name] = value;
  const piped = new PassThrough();
  piped.end(input ?? '');
  const status = await runCli(args, { stdin: stdin ?? piped, stdout, stderr, env: environment, cwd: cwd ?? scratchDir() });
  const result = { status, stdout: stdout.text, stderr: stderr.text };
  transcript.push(result);
  return result;
}

/** A terminal as stdin: raw mode (each switch recorded in `modes`), and keys typed all at once (as a paste arrives). */
export function terminalInput(typed: string): CommandInput & { readonly modes: boolean[] } {
  const input = new PassThrough() as PassThrough & { isTTY: boolean; setRawMode(mode: boolean): void; modes: boolean[] };
  input.isTTY = true;
  input.modes = [];
  input.setRawMode = (mode) => void input.modes.push(mode);
  input.write(typed);
  return input;
}

/** `renkei` against the test server, with its URL and bootstrap token unless `env` replaces them. */
export function renkei(server: TestServer, args: readonly string[], { input, env, cwd }: CliOptions = {}): Promise<CliResult> {
  return runRenkei(args, { input, cwd, env: { RENKEI_ADMIN_URL: server.adminUrl, RENKEI_ADMIN_TOKEN: server.adminToken.token, ...env } });
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

/** Exit 2 (usage), nothing on stdout, at most two lines on stderr: the reason and where to read more. */
export function expectUsageError(result: CliResult, message: string | RegExp, hint: string | RegExp = /^Run `renkei .*--help`/m): void {
  expect({ status: result.status, stdout: result.stdout }).toEqual({ status: 2, stdout: '' });
  expect(result.stderr).toMatch(message);
  expect(result.stderr).toMatch(hint);
  expect(result.stderr.trimEnd().split('\n').length).toBeLessThanOrEqual(2);
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
