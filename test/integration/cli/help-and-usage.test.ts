import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { projectRoot } from '../../../src/settings/project-root.js';
import { scratchDir } from './cli-kit.js';

/** No server here: help and usage errors never reach one (the URL points nowhere). */
const renkei = (...args: string[]) =>
  spawnSync(process.execPath, [join(projectRoot(), 'bin/renkei.js'), ...args], {
    encoding: 'utf8',
    cwd: scratchDir(),
    env: { PATH: process.env.PATH!, RENKEI_ADMIN_URL: 'http://127.0.0.1:9', RENKEI_ADMIN_TOKEN: 'unused-token-0123456789abcdefghijklmnop' },
  });

const COMMANDS: Record<string, string[]> = {
  client: ['create', 'list', 'show', 'update', 'disable', 'enable', 'delete', 'rotate-secret', 'apply'],
  user: ['create', 'list', 'show', 'lock', 'unlock', 'delete', 'set-password'],
  grant: ['list', 'revoke'],
  keys: ['generate', 'list', 'rotate'],
};

describe('renkei --help', () => {
  it('lists every group and command', () => {
    const result = renkei('--help');
    expect(result.status).toBe(0);
    for (const [group, commands] of Object.entries(COMMANDS)) expect(result.stdout).toContain(`${group.padEnd(8)} ${commands.join(' | ')}`);
  });

  it.each(Object.entries(COMMANDS).flatMap(([group, commands]) => commands.map((command) => [group, command] as const)))(
    'renkei %s %s --help shows the usage and examples on stdout (exit 0)',
    (group, command) => {
      const result = renkei(group, command, '--help');
      expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
      expect(result.stdout).toMatch(new RegExp(`^Usage: renkei ${group} ${command}\\b`));
      const examples = result.stdout.split('\nExamples:\n')[1]!.split('\n').filter(Boolean);
      expect(examples.length).toBeGreaterThan(0);
      for (const example of examples) expect(example).toMatch(new RegExp(`^  .*\\brenkei ${group} ${command}\\b`));
      expect(result.stdout).toContain('--json');
    },
  );

  it('shows a group\'s commands with what each does', () => {
    const result = renkei('grant', '--help');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^ {2}list +list the access customers gave partners$/m);
    expect(result.stdout).toMatch(/^ {2}revoke +end access: one grant, or every grant of a customer$/m);
  });
});

describe('renkei usage errors (exit 2, the usage on stderr, nothing on stdout)', () => {
  it.each([
    [[], /a command is needed/, 'Usage: renkei <group> <command>'],
    [['accounts', 'list'], /unknown command group "accounts"/, 'Usage: renkei <group> <command>'],
    [['toString', 'list'], /unknown command group "toString"/, 'Usage: renkei <group> <command>'],
    [['client'], /a client command is needed/, 'Usage: renkei client <command>'],
    [['client', 'frobnicate'], /unknown command "client frobnicate"/, 'Usage: renkei client <command>'],
    [['client', 'list', '--verbose'], /Unknown option '--verbose'/, 'Usage: renkei client list'],
    [['client', 'disable'], /missing ID/, 'Usage: renkei client disable ID'],
    [['user', 'unlock', 'a', 'b'], /too many arguments: b/, 'Usage: renkei user unlock LOGIN_ID'],
    [['keys', 'list', 'extra'], /Unexpected argument 'extra'/, 'Usage: renkei keys list'],
  ])('renkei %j', (args, message, usage) => {
    const result = renkei(...args);
    expect({ status: result.status, stdout: result.stdout }).toEqual({ status: 2, stdout: '' });
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain(usage);
  });
});
