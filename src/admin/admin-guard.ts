import { Ajv, type ErrorObject } from 'ajv';
import type { Context } from 'koa';
import { readBody } from '../shared/read-body.js';
import { allowExpectedAnnotation, patternInWords } from '../shared/schema-words.js';
import { AdminError } from './admin-error.js';

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true });
allowExpectedAnnotation(ajv);
const MAX_BODY_BYTES = 64 * 1024;

function detail(error: ErrorObject): { path: string; message: string } {
  if (error.keyword === 'additionalProperties') {
    const name = (error.params as { additionalProperty: string }).additionalProperty;
    return { path: `${error.instancePath}/${name}`, message: 'is not a known field' };
  }
  if (error.keyword === 'required') {
    const name = (error.params as { missingProperty: string }).missingProperty;
    return { path: `${error.instancePath}/${name}`, message: 'is required' };
  }
  const expected = patternInWords(error);
  if (expected) return { path: error.instancePath, message: `must be ${expected}` };
  return { path: error.instancePath || '/', message: error.message ?? 'is invalid' };
}

/** A typed request guard: validates with the route's schema or answers 400 with every problem. */
export function guard<T>(schema: object): (value: unknown) => T {
  const validate = ajv.compile(schema);
  return (value) => {
    if (validate(value)) return value as T;
    const details = (validate.errors ?? []).map(detail);
    throw new AdminError(400, 'validation_failed', details.map((d) => `${d.path} ${d.message}`).join('; '), details);
  };
}

/**
 * The JSON body, up to `limit` bytes. Over it, reading stops and the 413 goes out on the same
 * socket (an iterator stopped by a throw would destroy the request, and the answer with it).
 */
export async function readJson(ctx: Context, { limit = MAX_BODY_BYTES, overLimitHint = '' }: { limit?: number; overLimitHint?: string } = {}): Promise<unknown> {
  if (!ctx.is('application/json')) throw new AdminError(415, 'unsupported_media_type', 'send the body as application/json');
  const body = await readBody(ctx.req, limit);
  if (body === 'too_large') throw new AdminError(413, 'too_large', `the body is larger than ${limit} bytes${overLimitHint}`);
  if (body === 'unreadable') throw new AdminError(400, 'validation_failed', 'the body could not be read');
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    throw new AdminError(400, 'validation_failed', 'the body is not valid JSON');
  }
}
