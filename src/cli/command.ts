import type { ParseArgsConfig } from 'node:util';
import type { Readable } from 'node:stream';

export interface CommandOutput {
  /** machine output (with --json) or human text */
  stdout(text: string): void;
  stderr(text: string): void;
}

/** Standard input as the CLI sees it: a stream, and a terminal's no-echo mode when it is one. */
export type CommandInput = Readable & { readonly isTTY?: boolean; setRawMode?(mode: boolean): unknown };

export interface CommandContext {
  readonly args: readonly string[];
  readonly json: boolean;
  readonly out: CommandOutput;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly stdin: CommandInput;
}

/** One CLI command: its usage text, its options (node:util parseArgs), and what it does. */
export interface Command {
  readonly usage: string;
  readonly summary: string;
  readonly examples: readonly string[];
  /** more lines for --help (notes, environment) */
  readonly notes?: readonly string[];
  readonly options: NonNullable<ParseArgsConfig['options']>;
  /** names of the positional arguments, in order; a name ending in `?` is optional */
  readonly positionals?: readonly string[];
  run(context: CommandContext, values: Record<string, unknown>, positionals: readonly string[]): Promise<void>;
}
