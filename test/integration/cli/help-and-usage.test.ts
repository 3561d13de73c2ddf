import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { CLIENT_OPTIONS } from '../../../src/cli/commands/client-flags.js';
import { projectRoot } from '../../../src/settings/project-root.js';
import { expectUsageError, runRenkei, scratchDir } from './cli-kit.js';

/** No server here: help and usage errors never reach one (the URL points nowhere). */
const renkei = (...args: string[]) => runRenkei(args, { env: { RENKEI_ADMIN_URL: 'http://127.0.0.1:9', RENKEI_ADMIN_TOKEN: 'unused-token-0123456789abcdefghijklmnop' } });

/** The real binary, for the few things only a process shows (exit status, the dist build). */
const spawned = (...args: string[]) =>
  spawnSync(process.execPath, [join(projectRoot(), 'bin/renkei.js'), ...args], { encoding: 'utf8', cwd: scratchDir(), env: { PATH: process.env.PATH!, HOME: scratchDir() } });

const COMMANDS: Record<string, string[]> = {
  admin: ['create', 'list', 'revoke'],
  client: ['create', 'list', 'show', 'update', 'disable', 'enable', 'delete', 'rotate-secret', 'apply'],
  user: ['create', 'list', 'show', 'update', 'lock', 'unlock', 'delete', 'set-password'],
  grant: ['list', 'revoke'],
  keys: ['generate', 'list', 'rotate'],
};
const version = (JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version: string }).version;

describe('renkei (spawned: the installed binary)', () => {
  it('prints its version', () => {
    const result = spawned('--version');
    expect({ status: result.status, stdout: result.stdout, stderr: result.stderr }).toEqual({ status: 0, stdout: `renkei ${version}\n`, stderr: '' });
  });

  it('prints its version as JSON with --json, before or after --version', () => {
    for (const argv of [['--version', '--json'], ['--json', '--version']]) {
      const result = spawned(...argv);
      expect({ status: result.status, json: JSON.parse(result.stdout), stderr: result.stderr }).toEqual({ status: 0, json: { version }, stderr: '' });
    }
  });

  it('answers an unknown command in two lines with a suggestion, exit 2', () => {
    const result = spawned('clinet', 'list');
    expect({ status: result.status, stdout: result.stdout }).toEqual({ status: 2, stdout: '' });
    expect(result.stderr).toBe('renkei: unknown command "clinet"; did you mean client?\nRun `renkei --help` for the commands.\n');
  });
});

describe('renkei --help', () => {
  it('lists every group and command', async () => {
    const result = await renkei('--help');
    expect(result.status).toBe(0);
    for (const [group, commands] of Object.entries(COMMANDS)) expect(result.stdout).toContain(`${group.padEnd(8)} ${commands.join(' | ')}`);
    expect(result.stdout).toMatch(/^ {2}login +check a staff credential/m);
  });

  it.each(Object.entries(COMMANDS).flatMap(([group, commands]) => commands.map((command) => [group, command] as const)))(
    'renkei %s %s --help shows the usage and examples on stdout (exit 0)',
    async (group, command) => {
      const result = await renkei(group, command, '--help');
      expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
      expect(result.stdout).toMatch(new RegExp(`^Usage: renkei ${group} ${command}\\b`));
      const examples = result.stdout.split('\nExamples:\n')[1]!.split('\n').filter(Boolean);
      expect(examples.length).toBeGreaterThan(0);
      for (const example of examples) expect(example).toMatch(new RegExp(`^  .*\\brenkei ${group} ${command}\\b`));
      expect(result.stdout).toContain('--json');
    },
  );

  it.each(['create', 'update'])('renkei client %s --help names every flag it takes', async (command) => {
    const result = await renkei('client', command, '--help');
    const missing = Object.keys(CLIENT_OPTIONS).filter((flag) => !new RegExp(`--${flag}\\b(?!-)`).test(result.stdout));
    expect(missing).toEqual([]);
  });

  it("shows a group's commands with what each does", async () => {
    const result = await renkei('grant', '--help');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^ {2}list +list the access customers gave partners$/m);
    expect(result.stdout).toMatch(/^ {2}revoke +end access: one grant, or every grant of a customer$/m);
  });
});

describe('renkei usage errors (exit 2, at most two lines on stderr, nothing on stdout)', () => {
  it.each([
    [[], /^renkei: a command is needed$/m, 'Run `renkei --help` for the commands.'],
    [['accounts', 'list'], /^renkei: unknown command "accounts"$/m, 'Run `renkei --help` for the commands.'],
    [['toString', 'list'], /unknown command "toString"/, 'Run `renkei --help` for the commands.'],
    [['usr', 'list'], /unknown command "usr"; did you mean user\?/, 'Run `renkei --help` for the commands.'],
    [['--verbose'], /unknown flag --verbose before the command$/m, 'Run `renkei --help` for the commands.'],
    [['--versoin'], /unknown flag --versoin before the command; did you mean --version\?/, 'Run `renkei --help` for the commands.'],
    [['--hlep'], /unknown flag --hlep before the command; did you mean --help\?/, 'Run `renkei --help` for the commands.'],
    [['--jsn', 'client', 'list'], /unknown flag --jsn before the command; did you mean --json\?/, 'Run `renkei --help` for the commands.'],
    [['--ur', 'http://127.0.0.1:1', 'client', 'list'], /unknown flag --ur before the command; did you mean --url\?/, 'Run `renkei --help` for the commands.'],
    [['--token-flie=t', 'client', 'list'], /unknown flag --token-flie=t before the command; did you mean --token-file\?/, 'Run `renkei --help` for the commands.'],
    [['client'], /a client command is needed: create, list, show/, 'Run `renkei client --help` for what each does.'],
    [['client', 'frobnicate'], /^renkei: unknown command "client frobnicate"$/m, 'Run `renkei client --help` for its commands.'],
    [['client', 'lsit'], /unknown command "client lsit"; did you mean "client list"\?/, 'Run `renkei client --help` for its commands.'],
    [['client', 'list', '--verbose'], /^renkei: unknown flag --verbose$/m, 'Run `renkei client list --help` for its options and examples.'],
    [['client', 'list', '--jsno'], /unknown flag --jsno; did you mean --json\?/, 'Run `renkei client list --help`'],
    [['client', 'list', '--json=yes'], /--json takes no value/, 'Run `renkei client list --help`'],
    [['client', 'disable'], /missing ID/, 'Run `renkei client disable --help`'],
    [['user', 'unlock', 'a', 'b'], /too many arguments: b/, 'Run `renkei user unlock --help`'],
    [['keys', 'list', 'extra'], /too many arguments: extra/, 'Run `renkei keys list --help`'],
    [['admin', 'create', '--name', 'x'], /--role is required: admin, operator, auditor/, 'Run `renkei admin create --help`'],
    [['admin', 'create', '--name', 'x', '--role', 'root'], /--role must be one of admin, operator, auditor \(not "root"\)/, 'Run `renkei admin create --help`'],
    // what was typed is echoed without its control characters: no extra line, no terminal escape
    [['admin', 'create', '--name', 'x', '--role', 'boss\nline\u001b[2J'], /^renkei: --role must be one of admin, operator, auditor \(not "boss\ufffdline\ufffd\[2J"\)$/m, 'Run `renkei admin create --help`'],
    [['admin', 'create', '--name', 'x', '--role', 'auditor', '--expires-days', 'soon'], /--expires-days must be a whole number of days/, 'Run `renkei admin create --help`'],
    [['user', 'list', '--limit', '0'], /--limit must be a whole number from 1 to 1000/, 'Run `renkei user list --help`'],
    [['user', 'update', 'x'], /nothing to update/, 'Run `renkei user update --help`'],
    [['client', 'list', '--url', 'ftp://x'], /--url must be an http\(s\) URL/, 'Run `renkei client list --help`'],
    // the server flags may come before the command too
    [['--url', 'ftp://x', 'client', 'list'], /--url must be an http\(s\) URL/, 'Run `renkei client list --help`'],
    [['--url=ftp://x', '--json', 'client', 'list'], /--url must be an http\(s\) URL/, 'Run `renkei client list --help`'],
  ])('renkei %j', async (args, message, hint) => {
    expectUsageError(await renkei(...args), message, hint);
  });

  it('names a missing --token-file in words (exit 1)', async () => {
    const result = await runRenkei(['client', 'list', '--token-file', 'nowhere.token'], { env: { RENKEI_ADMIN_URL: 'http://127.0.0.1:9' } });
    expect({ status: result.status, stdout: result.stdout }).toEqual({ status: 1, stdout: '' });
    expect(result.stderr).toBe('renkei: cannot use --token-file nowhere.token: there is no such file\n');
  });
});
