import { Ajv, type ErrorObject } from 'ajv';
import { allowExpectedAnnotation, patternInWords } from '../shared/schema-words.js';
import { closest } from '../shared/suggest.js';
import { envNameFor } from './env-overrides.js';

/** One problem found in the configuration, named by its path (and env variable, when one sets it). */
export interface ConfigProblem {
  readonly path: string;
  readonly message: string;
}

/** A URL's user and password (`redis://:password@host`) never reach the message. */
const withoutCredentials = (text: string) => text.replace(/(\/\/)[^/@\s"]*@/g, '$1***@');

function describeValue(value: unknown): string {
  if (value === undefined) return '(missing)';
  const text = withoutCredentials(JSON.stringify(value));
  return text.length > 60 ? text.slice(0, 57) + '...' : text;
}

function valueAt(root: unknown, instancePath: string): unknown {
  if (!instancePath) return root;
  return instancePath
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), root);
}

const TYPE_WORDS: Readonly<Record<string, string>> = {
  integer: 'a whole number', number: 'a number', boolean: 'true or false', string: 'text', object: 'an object', array: 'a list',
};
const BOUND_WORDS: Readonly<Record<string, string>> = { '>=': 'at least', '<=': 'at most', '>': 'more than', '<': 'less than' };

/** ajv's "must be integer" and "must be >= 1" in words; an environment variable's boolean is written 1 or 0. */
function inWords(error: ErrorObject, fromEnv: boolean): string | undefined {
  if (error.keyword === 'type') {
    const types = String((error.params as { type: string | string[] }).type).split(',').filter((type) => type !== 'null');
    return types.map((type) => (fromEnv && type === 'boolean' ? '1 or 0' : TYPE_WORDS[type] ?? type)).join(' or ');
  }
  if (['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'].includes(error.keyword)) {
    const { comparison, limit } = error.params as { comparison: string; limit: number };
    return `${BOUND_WORDS[comparison] ?? comparison} ${limit}`;
  }
  return undefined;
}

function toProblem(error: ErrorObject, root: unknown): ConfigProblem {
  let path = error.instancePath || '/';
  let expected = error.message ?? 'a valid value';
  let value = valueAt(root, error.instancePath);
  if (error.keyword === 'additionalProperties') {
    const extra = (error.params as { additionalProperty: string }).additionalProperty;
    path = `${error.instancePath}/${extra}`;
    const known = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
    const guess = closest(extra, known);
    const settings = known.length ? `, expected one of ${known.join(', ')}` : '';
    return { path, message: `${path}: ${describeValue(valueAt(root, path))} is not a setting here${guess ? ` (did you mean ${error.instancePath}/${guess}?)` : ''}${settings}` };
  }
  if (error.keyword === 'required') {
    const missing = (error.params as { missingProperty: string }).missingProperty;
    path = `${error.instancePath}/${missing}`;
    value = undefined;
    expected = 'a value (required)';
  }
  expected = patternInWords(error) ?? expected;
  if (error.keyword === 'enum') {
    expected = `one of ${(error.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  const env = envNameFor(path);
  expected = inWords(error, env !== undefined) ?? expected;
  const where = env ? `${env} (${path})` : path;
  return { path, message: `${where}: ${describeValue(value)} is invalid, expected ${expected}` };
}

export type ConfigValidator = (candidate: Record<string, unknown>) => readonly ConfigProblem[];

/** Compiles the schema once; the validator fills defaults in place and reports every problem. */
export function createConfigValidator(schema: object): ConfigValidator {
  const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: true, strictRequired: false, allowUnionTypes: true, verbose: true });
  allowExpectedAnnotation(ajv);
  const validate = ajv.compile(schema);
  return (candidate) => {
    if (validate(candidate)) return [];
    const problems = (validate.errors ?? []).map((error) => toProblem(error, candidate));
    return problems.filter((p, i) => problems.findIndex((q) => q.message === p.message) === i);
  };
}
