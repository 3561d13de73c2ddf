import { Ajv, type ErrorObject } from 'ajv';
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

function toProblem(error: ErrorObject, root: unknown): ConfigProblem {
  let path = error.instancePath || '/';
  let expected = error.message ?? 'a valid value';
  let value = valueAt(root, error.instancePath);
  if (error.keyword === 'additionalProperties') {
    const extra = (error.params as { additionalProperty: string }).additionalProperty;
    path = `${error.instancePath}/${extra}`;
    return { path, message: `${path}: unknown setting` };
  }
  if (error.keyword === 'required') {
    const missing = (error.params as { missingProperty: string }).missingProperty;
    path = `${error.instancePath}/${missing}`;
    value = undefined;
    expected = 'a value (required)';
  }
  if (error.keyword === 'pattern') {
    // the schema's own words for a pattern, where it gives them, instead of the regular expression
    const { expected: inWords } = (error.parentSchema ?? {}) as { expected?: unknown };
    if (typeof inWords === 'string') expected = inWords;
  }
  if (error.keyword === 'enum') {
    expected = `one of ${(error.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  const env = envNameFor(path);
  const where = env ? `${env} (${path})` : path;
  return { path, message: `${where}: ${describeValue(value)} is invalid, expected ${expected}` };
}

export type ConfigValidator = (candidate: Record<string, unknown>) => readonly ConfigProblem[];

/** Compiles the schema once; the validator fills defaults in place and reports every problem. */
export function createConfigValidator(schema: object): ConfigValidator {
  const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: true, strictRequired: false, allowUnionTypes: true, verbose: true });
  // `expected`: how a pattern's problem is worded to operators (an annotation, not a check)
  ajv.addVocabulary(['expected']);
  const validate = ajv.compile(schema);
  return (candidate) => {
    if (validate(candidate)) return [];
    const problems = (validate.errors ?? []).map((error) => toProblem(error, candidate));
    return problems.filter((p, i) => problems.findIndex((q) => q.message === p.message) === i);
  };
}
