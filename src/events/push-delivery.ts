import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { publicAddressLookup, ReceiverAddressRefused, refusedLiteral } from './receiver-address.js';

/** The outcome of one RFC 8935 push. */
export type PushOutcome =
  | { readonly kind: 'delivered'; readonly status: number }
  /** §2.3: the receiver refused this SET (400 with an `err` code); sending it again will not help (but see RETRIED_ERRS) */
  | { readonly kind: 'rejected'; readonly status: number; readonly err: string; readonly description?: string }
  /** anything else: worth another attempt later */
  | { readonly kind: 'failed'; readonly status?: number; readonly err?: string; readonly reason: string };

const MAX_ERROR_BODY = 4096;

/**
 * §2.3 codes that another attempt can cure: `invalid_key` is what a receiver answers while it still
 * holds our JWKS from before a signing-key rotation, until it fetches it again.
 */
const RETRIED_ERRS = new Set(['invalid_key']);

interface Answer {
  readonly status: number;
  /** the start of the body (an error's JSON), at most MAX_ERROR_BODY bytes */
  readonly text: string;
}

/**
 * One POST with node:http(s), which (unlike fetch) lets the connection take a `lookup` of its own:
 * the address guard judges the very address the socket connects to. Redirects are not followed.
 */
function post(endpoint: URL, body: string, headers: Record<string, string>, options: { timeoutMs: number; lookup?: typeof publicAddressLookup | undefined }): Promise<Answer> {
  const send = endpoint.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(endpoint, {
      method: 'POST',
      headers: { ...headers, 'content-length': Buffer.byteLength(body) },
      signal: AbortSignal.timeout(options.timeoutMs),
      ...(options.lookup ? { lookup: options.lookup } : {}),
    }, (response: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const done = () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8').slice(0, MAX_ERROR_BODY) });
      response.on('data', (chunk: Buffer) => {
        if (size >= MAX_ERROR_BODY) return;
        chunks.push(chunk);
        size += chunk.length;
      });
      response.on('end', done);
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}

function readError(text: string): { err?: string; description?: string } {
  try {
    const body = JSON.parse(text) as { err?: unknown; description?: unknown };
    return {
      ...(typeof body.err === 'string' ? { err: body.err.slice(0, 64) } : {}),
      ...(typeof body.description === 'string' ? { description: body.description.slice(0, 200) } : {}),
    };
  } catch {
    return {};
  }
}

export interface PushOptions {
  readonly authorization?: string | undefined;
  readonly timeoutMs: number;
  /** production: refuse a receiver on a loopback, private or reserved address (receiver-address.ts) */
  readonly publicAddressesOnly?: boolean;
}

/**
 * RFC 8935 §2: POST the SET as `application/secevent+jwt`; 202 (or 200) means the receiver took
 * it. Redirects are not followed (the endpoint is registered exactly).
 */
export async function pushSet(endpoint: string, set: string, options: PushOptions): Promise<PushOutcome> {
  const url = new URL(endpoint);
  const literal = options.publicAddressesOnly ? refusedLiteral(url) : undefined;
  if (literal) return { kind: 'failed', reason: `refused: ${literal.message}` };
  let answer: Answer;
  try {
    answer = await post(url, set, {
      'content-type': 'application/secevent+jwt',
      accept: 'application/json',
      ...(options.authorization ? { authorization: options.authorization } : {}),
    }, { timeoutMs: options.timeoutMs, lookup: options.publicAddressesOnly ? publicAddressLookup : undefined });
  } catch (error) {
    const { name, message } = error as Error;
    if (name === 'TimeoutError' || name === 'AbortError') return { kind: 'failed', reason: `no answer within ${options.timeoutMs} ms` };
    if (error instanceof ReceiverAddressRefused) return { kind: 'failed', reason: `refused: ${message}` };
    return { kind: 'failed', reason: `cannot connect (${message})` };
  }
  if (answer.status === 200 || answer.status === 202) return { kind: 'delivered', status: answer.status };
  const { err, description } = readError(answer.text);
  if (answer.status === 400 && err && !RETRIED_ERRS.has(err)) return { kind: 'rejected', status: 400, err, ...(description ? { description } : {}) };
  return { kind: 'failed', status: answer.status, ...(err ? { err } : {}), reason: `HTTP ${answer.status}${err ? ` ${err}` : ''}` };
}
