import type { Context } from 'koa';
import { isCleanText } from '../src/accounts/text-input.js';

const MAX_BODY_BYTES = 8 * 1024;

/** The form could not be accepted: too large, not a form, a field repeated, or unclean text. */
export class FormRejected extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'FormRejected';
  }
}

async function readBody(ctx: Context): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new FormRejected('form.too_large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Parses an application/x-www-form-urlencoded body strictly: each field at most once, no control,
 * zero-width or bidi characters, no U+FFFD (what invalid UTF-8 decodes to).
 */
export async function readForm(ctx: Context): Promise<ReadonlyMap<string, string>> {
  if (!ctx.is('application/x-www-form-urlencoded')) throw new FormRejected('form.not_urlencoded');
  const params = new URLSearchParams(await readBody(ctx));
  const fields = new Map<string, string>();
  for (const [name, value] of params) {
    if (fields.has(name)) throw new FormRejected('form.repeated_field');
    if (!isCleanText(name) || !isCleanText(value)) throw new FormRejected('form.unclean_text');
    fields.set(name, value);
  }
  return fields;
}
