import { Ajv, type ErrorObject } from 'ajv';
import type { Context } from 'koa';
import { AdminError } from './admin-error.js';

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
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

export async function readJson(ctx: Context): Promise<unknown> {
  if (!ctx.is('application/json')) throw new AdminError(415, 'unsupported_media_type', 'send the body as application/json');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new AdminError(413, 'too_large', `the body is larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw new AdminError(400, 'validation_failed', 'the body is not valid JSON');
  }
}
