import type { Ajv, ErrorObject } from 'ajv';

/**
 * Schemas may say in words what a `pattern` stands for (`"expected": "three digits"`): an
 * annotation, not a check. Adds the keyword to an ajv instance compiled with `verbose: true`.
 */
export function allowExpectedAnnotation(ajv: Ajv): void {
  ajv.addVocabulary(['expected']);
}

/** A pattern's problem in the schema's own words, where it gives them, instead of the regular expression. */
export function patternInWords(error: ErrorObject): string | undefined {
  if (error.keyword !== 'pattern') return undefined;
  const { expected } = (error.parentSchema ?? {}) as { expected?: unknown };
  return typeof expected === 'string' ? expected : undefined;
}
