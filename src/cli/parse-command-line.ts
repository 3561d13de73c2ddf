import { usageError } from './cli-errors.js';
import { didYouMean } from '../shared/suggest.js';

export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly multiple?: boolean;
  readonly short?: string;
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

export interface ParsedCommandLine {
  readonly values: Record<string, string | boolean | string[]>;
  readonly positionals: string[];
}

/**
 * `--name value`, `--name=value`, `-h`, `--` before positionals that start with a dash. Every
 * mistake is a usage error in words, with a suggestion for a mistyped flag.
 */
export function parseCommandLine(args: readonly string[], options: OptionSpecs, positionalNames: readonly string[]): ParsedCommandLine {
  const values: Record<string, string | boolean | string[]> = {};
  const positionals: string[] = [];
  const byShort = new Map(Object.entries(options).filter(([, spec]) => spec.short).map(([name, spec]) => [spec.short!, name]));
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    // IDs may begin with a dash (a grant ID is random base64url): only known short flags are flags
    if (!arg.startsWith('-') || arg === '-' || (!arg.startsWith('--') && !byShort.has(arg.slice(1)))) {
      positionals.push(arg);
      continue;
    }
    const [flag, inline] = arg.startsWith('--') ? splitInline(arg.slice(2)) : [byShort.get(arg.slice(1))!, undefined];
    const spec = Object.hasOwn(options, flag) ? options[flag] : undefined;
    if (!spec) throw usageError(`unknown flag --${flag}${didYouMean(flag, Object.keys(options), (c) => `--${c}`)}`);
    if (spec.type === 'boolean') {
      if (inline !== undefined) throw usageError(`--${flag} takes no value`);
      values[flag] = true;
      continue;
    }
    let value = inline;
    if (value === undefined) {
      const next = args[i + 1];
      if (next === undefined || (next.startsWith('--') && next.length > 2)) throw usageError(`--${flag} needs a value`);
      value = next;
      i++;
    }
    if (spec.multiple) values[flag] = [...((values[flag] as string[] | undefined) ?? []), value];
    else if (values[flag] !== undefined) throw usageError(`--${flag} is given twice`);
    else values[flag] = value;
  }
  if (values.help) return { values, positionals };
  const required = positionalNames.filter((name) => !name.endsWith('?'));
  if (positionals.length > positionalNames.length) throw usageError(`too many arguments: ${positionals.slice(positionalNames.length).join(' ')}`);
  if (positionals.length < required.length) throw usageError(`missing ${required.slice(positionals.length).join(' ')}`);
  const empty = positionals.findIndex((value) => value.trim() === '');
  if (empty >= 0) throw usageError(`${positionalNames[empty]!.replace(/\?$/, '')} must not be empty`);
  return { values, positionals };
}

function splitInline(body: string): [string, string | undefined] {
  const at = body.indexOf('=');
  return at < 0 ? [body, undefined] : [body.slice(0, at), body.slice(at + 1)];
}
