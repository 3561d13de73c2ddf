import type { Readable } from 'node:stream';
import type { OptionSpecs } from './parse-command-line.js';

export interface CommandOutput {
  /** one line (or lines) of machine output (with --json) or human text */
  stdout(text: string): void;
  stderr(text: string): void;
  /** a prompt on stderr, without a line ending */
  prompt(text: string): void;
  /** set when stderr is a terminal (a progress bar then redraws one line), with its width */
  readonly stderrTerminal?: { readonly columns: number } | undefined;
  /** the width of stdout when it is a terminal (a table wider than it is shown a row at a time) */
  readonly stdoutColumns?: number | undefined;
}

/** Standard input as the CLI sees it: a stream, and a terminal's no-echo mode when it is one. */
export type CommandInput = Readable & { readonly isTTY?: boolean; setRawMode?(mode: boolean): unknown };

/** Flags every command takes: where the admin API is and which credential to use. */
export interface GlobalFlags {
  readonly url?: string;
  readonly tokenFile?: string;
}

export interface CommandContext {
  readonly args: readonly string[];
  readonly json: boolean;
  readonly out: CommandOutput;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly stdin: CommandInput;
  readonly global: GlobalFlags;
}

/** One CLI command: its usage text, its options, and what it does. */
export interface Command {
  readonly usage: string;
  readonly summary: string;
  readonly examples: readonly string[];
  /** more lines for --help (notes, environment) */
  readonly notes?: readonly string[];
  readonly options: OptionSpecs;
  /** names of the positional arguments, in order; a name ending in `?` is optional */
  readonly positionals?: readonly string[];
  /** false for commands that never talk to the admin API (no --url, --token-file) */
  readonly talksToServer?: boolean;
  run(context: CommandContext, values: Record<string, unknown>, positionals: readonly string[]): Promise<void>;
}
