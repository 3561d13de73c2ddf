import { parseArgs } from 'node:util';
import { EXIT, ExitError, usageError } from './cli-errors.js';
import type { Command, CommandInput, CommandOutput } from './command.js';

interface CommandEntry {
  readonly summary: string;
  readonly load: () => Promise<{ command: Command }>;
}

/** Every command, loaded only when it runs. */
const COMMANDS: Record<string, Record<string, CommandEntry>> = {
  client: {
    create: { summary: 'register a partner client', load: () => import('./commands/client-create.js') },
    list: { summary: 'list partner clients', load: () => import('./commands/client-list.js') },
    show: { summary: "show one client's metadata", load: () => import('./commands/client-show.js') },
    update: { summary: "change a client's metadata", load: () => import('./commands/client-update.js') },
    disable: { summary: 'refuse a client at once (its tokens stop working)', load: () => import('./commands/client-disable.js') },
    enable: { summary: 'accept a disabled client again', load: () => import('./commands/client-enable.js') },
    delete: { summary: 'remove a client and revoke every grant it holds', load: () => import('./commands/client-delete.js') },
    'rotate-secret': { summary: 'issue a new client secret (the old one stops working)', load: () => import('./commands/client-rotate-secret.js') },
    apply: { summary: 'create or update a client from a JSON metadata file', load: () => import('./commands/client-apply.js') },
  },
  user: {
    create: { summary: 'register a customer', load: () => import('./commands/user-create.js') },
    list: { summary: 'list customers', load: () => import('./commands/user-list.js') },
    show: { summary: 'show one customer', load: () => import('./commands/user-show.js') },
    lock: { summary: "lock a customer's account (their tokens stop working)", load: () => import('./commands/user-lock.js') },
    unlock: { summary: "unlock a customer's account and clear its failure count", load: () => import('./commands/user-unlock.js') },
    delete: { summary: 'remove a customer and revoke every grant they gave', load: () => import('./commands/user-delete.js') },
    'set-password': { summary: "set a customer's password (revokes every grant they gave)", load: () => import('./commands/user-set-password.js') },
  },
  grant: {
    list: { summary: 'list the access customers gave partners', load: () => import('./commands/grant-list.js') },
    revoke: { summary: 'end access: one grant, or every grant of a customer', load: () => import('./commands/grant-revoke.js') },
  },
  keys: {
    generate: { summary: 'create the key files, offline', load: () => import('./commands/keys-generate.js') },
    list: { summary: 'list the signing keys the server uses', load: () => import('./commands/keys-list.js') },
    rotate: { summary: 'stage new signing keys (published now, signing after a delay)', load: () => import('./commands/keys-rotate.js') },
  },
};

const consoleOutput: CommandOutput = {
  stdout: (text) => process.stdout.write(text + '\n'),
  stderr: (text) => process.stderr.write(text + '\n'),
};

function topLevelHelp(): string {
  const lines = ['Usage: renkei <group> <command> [options] [--json]', '', 'Groups and commands:'];
  for (const [group, commands] of Object.entries(COMMANDS)) lines.push(`  ${group.padEnd(8)} ${Object.keys(commands).join(' | ')}`);
  lines.push(
    '',
    'Every command takes --help and --json (machine output on stdout, nothing else there).',
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

const isHelp = (word: string | undefined) => word === '--help' || word === '-h' || word === 'help';

/** Parses the command's arguments; every mistake is a usage error. */
function parse(command: Command, rest: readonly string[]) {
  const names = command.positionals ?? [];
  const parsed = parseArgs({
    args: [...rest],
    options: { ...command.options, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: names.length > 0,
    strict: true,
  });
  if (parsed.values.help) return parsed;
  const required = names.filter((name) => !name.endsWith('?'));
  if (parsed.positionals.length > names.length) throw new Error(`too many arguments: ${parsed.positionals.slice(names.length).join(' ')}`);
  if (parsed.positionals.length < required.length) throw new Error(`missing ${required.slice(parsed.positionals.length).join(' ')}`);
  const empty = parsed.positionals.findIndex((value) => value.trim() === '');
  if (empty >= 0) throw new Error(`${names[empty]!.replace(/\?$/, '')} must not be empty`);
  return parsed;
}

export async function runCli(
  argv: readonly string[],
  out: CommandOutput = consoleOutput,
  env = process.env,
  cwd = process.cwd(),
  stdin: CommandInput = process.stdin,
): Promise<number> {
  const [group, name, ...rest] = argv;
  try {
    if (!group || isHelp(group)) {
      if (!group) throw usageError(`a command is needed\n\n${topLevelHelp()}`);
      out.stdout(topLevelHelp());
      return EXIT.ok;
    }
    const commands = Object.hasOwn(COMMANDS, group) ? COMMANDS[group] : undefined;
    if (!commands) throw usageError(`unknown command group "${group}"\n\n${topLevelHelp()}`);
    if (!name || isHelp(name)) {
      if (!name) throw usageError(`a ${group} command is needed\n\n${groupHelp(group)}`);
      out.stdout(groupHelp(group));
      return EXIT.ok;
    }
    const entry = Object.hasOwn(commands, name) ? commands[name] : undefined;
    if (!entry) throw usageError(`unknown command "${group} ${name}"\n\n${groupHelp(group)}`);
    const { command } = await entry.load();
    const help = commandHelp(command);

    let parsed;
    try {
      parsed = parse(command, rest);
    } catch (error) {
      throw usageError(`${(error as Error).message}\n\n${help}`);
    }
    if (parsed.values.help) {
      out.stdout(help);
      return EXIT.ok;
    }
    try {
      await command.run({ args: rest, json: parsed.values.json === true, out, env, cwd, stdin }, parsed.values, parsed.positionals);
    } catch (error) {
      // a command's own usage checks (a missing flag, flags that exclude each other) show the usage too
      if (error instanceof ExitError && error.exitCode === EXIT.usage) throw usageError(`${error.message}\n\n${help}`);
      throw error;
    }
    return EXIT.ok;
  } catch (error) {
    if (error instanceof ExitError) {
      out.stderr(`renkei: ${error.message}`);
      return error.exitCode;
    }
    out.stderr(`renkei: unexpected error: ${(error as Error).message}`);
    return EXIT.refused;
  }
}
