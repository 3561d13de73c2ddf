import type { ParseArgsConfig } from 'node:util';

export interface CommandOutput {
  /** machine output (with --json) or human text */
  stdout(text: string): void;
  stderr(text: string): void;
}

export interface CommandContext {
  readonly args: readonly string[];
  readonly json: boolean;
  readonly out: CommandOutput;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

/** One CLI command: its usage text, its options (node:util parseArgs), and what it does. */
export interface Command {
  readonly usage: string;
  readonly summary: string;
  readonly examples: readonly string[];
  readonly options: NonNullable<ParseArgsConfig['options']>;
  readonly allowPositionals?: number;
  run(context: CommandContext, values: Record<string, unknown>, positionals: readonly string[]): Promise<void>;
}
