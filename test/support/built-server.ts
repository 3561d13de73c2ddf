import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../src/settings/project-root.js';
import { testServerEnv } from './test-server.js';

export interface BuiltServer {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  /** what it wrote on stdout and stderr, in the order it arrived */
  output(): string;
  stdout(): string;
  stderr(): string;
}

/** The built server (`npm start` without the build) on the run's Redis, as a process of its own. */
export async function startBuiltServer(port: number, env: Record<string, string> = {}): Promise<BuiltServer> {
  const child = spawn(process.execPath, [join(projectRoot(), 'dist/src/main.js')], {
    cwd: mkdtempSync(join(tmpdir(), 'renkei-built-')),
    env: { PATH: process.env.PATH!, ...(await testServerEnv(port)), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    stdout += chunk.toString();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 15_000;
  while (!output.includes('"server.started"')) {
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill('SIGKILL');
      throw new Error(`server did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, exited, output: () => output, stdout: () => stdout, stderr: () => stderr };
}

/** Kills what a test left running. */
export function killBuiltServer(server: BuiltServer | undefined): void {
  if (server && server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
}
