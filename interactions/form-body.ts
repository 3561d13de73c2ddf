import type { Context } from 'koa';
import { isCleanText } from '../src/accounts/text-input.js';
import { CustomerPageError } from './form-checks/customer-page-error.js';

/** The largest form any customer screen sends (a few short fields and the CSRF token) is far below this. */
export const FORM_BODY_LIMIT_BYTES = 8 * 1024;
/**
 * Past the limit the rest of the body is read and thrown away, up to this much, so that the client
 * (still sending) reads our 413 instead of a reset connection. Beyond it the connection is closed.
 */
const DISCARD_LIMIT_BYTES = 4 * 1024 * 1024;

/** The form could not be accepted: not a form, a field repeated, or unclean text. */
export class FormRejected extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'FormRejected';
  }
}

/** The body is over FORM_BODY_LIMIT_BYTES: answered 413 with the customer's error page. */
export class FormTooLarge extends CustomerPageError {
  readonly error_description = 'the form is too large';
  constructor() {
    super(413, 'invalid_request', 'form.too_large');
  }
}

const TOO_LARGE = Symbol('too large');
const bodies = new WeakMap<Context['req'], string | typeof TOO_LARGE>();

/**
 * Reads the body once, at most FORM_BODY_LIMIT_BYTES of it, never destroying the request (the
 * socket must stay usable for the answer). Call captureClientIp first.
 */
async function readBody(ctx: Context): Promise<string | typeof TOO_LARGE> {
  const cached = bodies.get(ctx.req);
  if (cached !== undefined) return cached;
  const declared = Number(ctx.get('content-length') || 0);
  let body: string | typeof TOO_LARGE;
  if (declared > DISCARD_LIMIT_BYTES) {
    ctx.set('Connection', 'close');
    body = TOO_LARGE;
  } else {
    body = await collect(ctx);
  }
  bodies.set(ctx.req, body);
  return body;
}

async function collect(ctx: Context): Promise<string | typeof TOO_LARGE> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of ctx.req.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > DISCARD_LIMIT_BYTES) {
        ctx.set('Connection', 'close');
        return TOO_LARGE;
      }
      if (size <= FORM_BODY_LIMIT_BYTES) chunks.push(chunk);
    }
  } catch {
    // the client went away mid-body: nobody will read the answer, but it must not be a 5xx
    throw new FormRejected('form.incomplete');
  }
  return size > FORM_BODY_LIMIT_BYTES ? TOO_LARGE : Buffer.concat(chunks).toString('utf8');
}

/** true when the body is over the limit (reading it if not read yet). */
export async function isFormTooLarge(ctx: Context): Promise<boolean> {
  return (await readBody(ctx)) === TOO_LARGE;
}

/**
 * Parses an application/x-www-form-urlencoded body strictly: each field at most once, no control,
 * zero-width or bidi characters, no U+FFFD (what invalid UTF-8 decodes to). Over the size limit:
 * FormTooLarge (413), whatever the content type.
 */
export async function readForm(ctx: Context): Promise<ReadonlyMap<string, string>> {
  const body = await readBody(ctx);
  if (body === TOO_LARGE) throw new FormTooLarge();
  if (!ctx.is('application/x-www-form-urlencoded')) throw new FormRejected('form.not_urlencoded');
  const params = new URLSearchParams(body);
  const fields = new Map<string, string>();
  for (const [name, value] of params) {
    if (fields.has(name)) throw new FormRejected('form.repeated_field');
    if (!isCleanText(name) || !isCleanText(value)) throw new FormRejected('form.unclean_text');
    fields.set(name, value);
  }
  return fields;
}
