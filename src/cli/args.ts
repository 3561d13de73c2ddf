import { usageError } from './cli-errors.js';

/** Typed access to parseArgs values; every mistake is a usage error (exit 2). */
export type Values = Readonly<Record<string, unknown>>;

export function optionalString(values: Values, name: string): string | undefined {
  const value = values[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') throw usageError(`--${name} needs a value`);
  return value;
}

export function requiredString(values: Values, name: string): string {
  const value = optionalString(values, name);
  if (value === undefined) throw usageError(`--${name} is required`);
  return value;
}

export function optionalList(values: Values, name: string): string[] | undefined {
  const value = values[name];
  if (value === undefined) return undefined;
  const list = (Array.isArray(value) ? value : [value]) as unknown[];
  if (list.some((item) => typeof item !== 'string' || item.trim() === '')) throw usageError(`--${name} needs a value`);
  return list as string[];
}

export function optionalChoice<T extends string>(values: Values, name: string, choices: readonly T[]): T | undefined {
  const value = optionalString(values, name);
  if (value === undefined) return undefined;
  if (!(choices as readonly string[]).includes(value)) throw usageError(`--${name} must be one of ${choices.join(', ')} (not "${value}")`);
  return value as T;
}

/** At most one of these flags (e.g. --jwks-uri and --jwks-file). */
export function atMostOne(values: Values, ...names: string[]): void {
  const given = names.filter((name) => values[name] !== undefined);
  if (given.length > 1) throw usageError(`give ${given.map((n) => `--${n}`).join(' or ')}, not both`);
}
