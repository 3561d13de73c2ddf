import { parseArgs } from 'node:util';
import { EXIT, ExitError, usageError } from './cli-errors.js';
import type { Command, CommandOutput } from './command.js';

type CommandLoader = () => Promise<{ command: Command }>;

/** Every command, loaded only when it runs. */
const COMMANDS: Record<string, Record<string, CommandLoader>> = {
  keys: {
    generate: () => import('./commands/keys-generate.js'),
  },
};

const consoleOutput: CommandOutput = {
  stdout: (text) => process.stdout.write(text + '\n'),
  stderr: (text) => process.stderr.write(text + '\n'),
};

function topLevelHelp(): string {
  const lines = ['Usage: renkei <group> <command> [options] [--json]', '', 'Groups and commands:'];
  for (const [group, commands] of Object.entries(COMMANDS)) lines.push(`  ${group.padEnd(8)} ${Object.keys(commands).join(' | ')}`);
  lines.push('', 'Run `renkei <group> <command> --help` for a command\'s options and examples.');
  return lines.join('\n');
}

function groupHelp(group: string): string {
  return [`Usage: renkei ${group} <command> [options]`, '', `Commands: ${Object.keys(COMMANDS[group]!).join(', ')}`].join('\n');
}

function commandHelp(command: Command): string {
  return [`Usage: ${command.usage}`, '', command.summary, '', 'Examples:', ...command.examples.map((e) => `  ${e}`)].join('\n');
}

export async function runCli(argv: readonly string[], out: CommandOutput = consoleOutput, env = process.env, cwd = process.cwd()): Promise<number> {
  const [group, name, ...rest] = argv;
  try {
    if (!group || group === '--help' || group === '-h' || group === 'help') {
      out.stdout(topLevelHelp());
      return group ? EXIT.ok : EXIT.usage;
    }
    const commands = COMMANDS[group];
    if (!commands) throw usageError(`unknown command group "${group}"\n\n${topLevelHelp()}`);
    if (!name || name === '--help' || name === '-h') {
      out.stdout(groupHelp(group));
      return name ? EXIT.ok : EXIT.usage;
    }
    const load = commands[name];
    if (!load) throw usageError(`unknown command "${group} ${name}"\n\n${groupHelp(group)}`);
    const { command } = await load();

    let parsed;
    try {
      parsed = parseArgs({
        args: [...rest],
        options: { ...command.options, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
        allowPositionals: (command.allowPositionals ?? 0) > 0,
        strict: true,
      });
    } catch (error) {
      throw usageError(`${(error as Error).message}\n\n${commandHelp(command)}`);
    }
    if (parsed.values.help) {
      out.stdout(commandHelp(command));
      return EXIT.ok;
    }
    if (parsed.positionals.length > (command.allowPositionals ?? 0)) {
      throw usageError(`too many arguments\n\n${commandHelp(command)}`);
    }
    await command.run({ args: rest, json: parsed.values.json === true, out, env, cwd }, parsed.values, parsed.positionals);
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
