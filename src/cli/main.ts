import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../settings/project-root.js';
import { EXIT, ExitError } from './cli-errors.js';
import type { Command, CommandInput, CommandOutput } from './command.js';
import { COMMANDS } from './command-table.js';
import { printable } from './output.js';
import { parseCommandLine, type OptionSpecs } from './parse-command-line.js';
import { didYouMean } from '../shared/suggest.js';

/** Where the CLI reads and writes: the process's own streams, or a test's. */
export interface CliIo {
  readonly stdin?: CommandInput;
  readonly stdout?: { write(text: string): unknown };
  readonly stderr?: { write(text: string): unknown };
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly cwd?: string;
}

const COMMON_OPTIONS: OptionSpecs = { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } };
const SERVER_OPTIONS: OptionSpecs = { url: { type: 'string' }, 'token-file': { type: 'string' } };

const isHelp = (word: string | undefined) => word === '--help' || word === '-h' || word === 'help';
const single = (group: string) => Object.keys(COMMANDS[group]!).length === 1 && Object.hasOwn(COMMANDS[group]!, '');
const commandName = (group: string, name: string) => (name ? `${group} ${name}` : group);

export function version(): string {
  return (JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

function topLevelHelp(): string {
  const lines = ['Usage: renkei <group> <command> [options] [--json]', '', 'Groups and commands:'];
  for (const [group, commands] of Object.entries(COMMANDS)) lines.push(`  ${group.padEnd(8)} ${single(group) ? commands['']!.summary : Object.keys(commands).join(' | ')}`);
  lines.push(
    '',
    'Every command takes --help and --json (machine output on stdout, nothing else there); commands',
    'that talk to the server take --url URL and --token-file FILE. `renkei --version` prints the version.',
    'Exit codes: 0 success, 1 refused (by the server, or a file that cannot be used), 2 usage error.',
    "Run `renkei <group> <command> --help` for a command's options and examples.",
  );
  return lines.join('\n');
}

function groupHelp(group: string): string {
  const commands = Object.entries(COMMANDS[group]!);
  const width = Math.max(...commands.map(([name]) => name.length));
  return [
    `Usage: renkei ${group} <command> [options] [--json]`,
    '',
    'Commands:',
    ...commands.map(([name, entry]) => `  ${name.padEnd(width)}  ${entry.summary}`),
    '',
    `Run \`renkei ${group} <command> --help\` for a command's options and examples.`,
  ].join('\n');
}

function commandHelp(command: Command): string {
  const lines = [`Usage: ${command.usage}`, '', command.summary, ''];
  if (command.notes?.length) lines.push(...command.notes, '');
  lines.push('Examples:', ...command.examples.map((e) => `  ${e}`));
  return lines.join('\n');
}

/** A usage error: one line saying what is wrong, one saying where to read more. */
class Usage extends ExitError {
  constructor(message: string, readonly hint: string) {
    super(message, EXIT.usage);
  }
}

function outputOf(io: CliIo): CommandOutput {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  return {
    stdout: (text) => stdout.write(text + '\n'),
    stderr: (text) => stderr.write(text + '\n'),
    prompt: (text) => stderr.write(text),
    stderrTerminal: (stderr as { isTTY?: boolean }).isTTY ? { columns: (stderr as { columns?: number }).columns || 80 } : undefined,
    stdoutColumns: (stdout as { isTTY?: boolean }).isTTY ? (stdout as { columns?: number }).columns || 80 : undefined,
  };
}

/** Finds the command the words name; an unknown word is a usage error with a suggestion. */
function findEntry(group: string, name: string | undefined) {
  const commands = Object.hasOwn(COMMANDS, group) ? COMMANDS[group] : undefined;
  if (!commands) throw new Usage(`unknown command "${group}"${didYouMean(group, Object.keys(COMMANDS))}`, 'Run `renkei --help` for the commands.');
  if (single(group)) return { entry: commands['']!, name: '', rest: name === undefined ? [] : [name] };
  if (!name) throw new Usage(`a ${group} command is needed: ${Object.keys(commands).join(', ')}`, `Run \`renkei ${group} --help\` for what each does.`);
  const entry = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!entry) throw new Usage(`unknown command "${group} ${name}"${didYouMean(name, Object.keys(commands), (c) => `"${group} ${c}"`)}`, `Run \`renkei ${group} --help\` for its commands.`);
  return { entry, name, rest: undefined };
}

/** The flags that may also come before the command (`renkei --url URL client list`), as git's and kubectl's global flags do. */
const LEADING_WITH_VALUE = new Set(['--url', '--token-file']);

function splitLeadingFlags(argv: readonly string[]): { leading: string[]; commandLine: readonly string[] } {
  let at = 0;
  while (at < argv.length) {
    const flag = argv[at]!.split('=')[0]!;
    if (flag === '--json') at += 1;
    else if (LEADING_WITH_VALUE.has(flag)) at += argv[at]!.includes('=') ? 1 : 2;
    else break;
  }
  return { leading: argv.slice(0, at), commandLine: argv.slice(at) };
}

/**
 * The whole CLI as a function: parses argv, runs the command, and returns the exit code
 * (0 success, 1 refused, 2 usage) instead of exiting, so that tests can run it in-process.
 */
export async function runCli(argv: readonly string[], io: CliIo = {}): Promise<number> {
  const out = outputOf(io);
  const env = io.env ?? process.env;
  const cwd = io.cwd ?? process.cwd();
  const stdin = io.stdin ?? process.stdin;
  const { leading, commandLine } = splitLeadingFlags(argv);
  const [group, maybeName, ...tail] = commandLine;
  try {
    if (group === '--version' || group === '-V') {
      const json = leading.includes('--json') || tail.concat(maybeName ?? []).includes('--json');
      out.stdout(json ? JSON.stringify({ version: version() }) : `renkei ${version()}`);
      return EXIT.ok;
    }
    if (!group || isHelp(group)) {
      if (!group) throw new Usage('a command is needed', 'Run `renkei --help` for the commands.');
      out.stdout(topLevelHelp());
      return EXIT.ok;
    }
    if (group.startsWith('-')) throw new Usage(`unknown flag ${group} before the command${didYouMean(group.split('=')[0]!, ['--help', '--version', '--json', ...LEADING_WITH_VALUE])}`, 'Run `renkei --help` for the commands.');
    if (Object.hasOwn(COMMANDS, group) && !single(group) && isHelp(maybeName)) {
      out.stdout(groupHelp(group));
      return EXIT.ok;
    }
    const found = findEntry(group, maybeName);
    const rest = [...leading, ...(found.rest ? [...found.rest, ...tail] : tail)];
    const { command } = await found.entry.load();
    const name = commandName(group, found.name);
    const hint = `Run \`renkei ${name} --help\` for its options and examples.`;
    const options = { ...command.options, ...(command.talksToServer === false ? {} : SERVER_OPTIONS), ...COMMON_OPTIONS };

    let parsed;
    try {
      parsed = parseCommandLine(rest, options, command.positionals ?? []);
    } catch (error) {
      if (error instanceof ExitError) throw new Usage(error.message, hint);
      throw error;
    }
    if (parsed.values.help) {
      out.stdout(commandHelp(command));
      return EXIT.ok;
    }
    const global = { url: parsed.values.url as string | undefined, tokenFile: parsed.values['token-file'] as string | undefined };
    try {
      await command.run({ args: rest, json: parsed.values.json === true, out, env, cwd, stdin, global }, parsed.values, parsed.positionals);
    } catch (error) {
      // a command's own usage checks (a missing flag, flags that exclude each other) point to its help
      if (error instanceof ExitError && error.exitCode === EXIT.usage && !(error instanceof Usage)) throw new Usage(error.message, hint);
      throw error;
    }
    return EXIT.ok;
  } catch (error) {
    if (error instanceof Usage) {
      // the message echoes what was typed: control characters would add lines or drive the terminal
      out.stderr(`renkei: ${printable(error.message)}\n${error.hint}`);
      return error.exitCode;
    }
    if (error instanceof ExitError) {
      out.stderr(`renkei: ${error.message}`);
      return error.exitCode;
    }
    out.stderr(`renkei: unexpected error: ${(error as Error).message}`);
    return EXIT.refused;
  }
}
