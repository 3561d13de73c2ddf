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

async function readError(response: Response): Promise<{ err?: string; description?: string }> {
  try {
    const text = (await response.text()).slice(0, MAX_ERROR_BODY);
    const body = JSON.parse(text) as { err?: unknown; description?: unknown };
    return {
      ...(typeof body.err === 'string' ? { err: body.err.slice(0, 64) } : {}),
      ...(typeof body.description === 'string' ? { description: body.description.slice(0, 200) } : {}),
    };
  } catch {
    return {};
  }
}

/**
 * RFC 8935 §2: POST the SET as `application/secevent+jwt`; 202 (or 200) means the receiver took
 * it. Redirects are not followed (the endpoint is registered exactly).
 */
export async function pushSet(endpoint: string, set: string, options: { authorization?: string | undefined; timeoutMs: number }): Promise<PushOutcome> {
  let response: Response;
  try {
    response = await fetch(endpoint, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs),
      headers: {
        'content-type': 'application/secevent+jwt',
        accept: 'application/json',
        ...(options.authorization ? { authorization: options.authorization } : {}),
      },
      body: set,
    });
  } catch (error) {
    const name = (error as Error).name;
    return { kind: 'failed', reason: name === 'TimeoutError' || name === 'AbortError' ? `no answer within ${options.timeoutMs} ms` : `cannot connect (${(error as Error).message})` };
  }
  if (response.status === 200 || response.status === 202) {
    await response.body?.cancel();
    return { kind: 'delivered', status: response.status };
  }
  const { err, description } = await readError(response);
  if (response.status === 400 && err && !RETRIED_ERRS.has(err)) return { kind: 'rejected', status: 400, err, ...(description ? { description } : {}) };
  return { kind: 'failed', status: response.status, ...(err ? { err } : {}), reason: `HTTP ${response.status}${err ? ` ${err}` : ''}` };
}
