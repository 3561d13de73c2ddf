import type { Context, Middleware, Next } from 'koa';
import { escapesAreUtf8, MALFORMED_PARAMETERS } from './percent-encoding.js';

/** oidc-provider's own limit on request bodies. */
const MAX_FORM_BYTES = 56 * 1024;

class FormRefused extends Error {
  constructor(readonly status: number, readonly description: string) {
    super(description);
  }
}

async function readFormText(ctx: Context): Promise<string> {
  if (!ctx.is('application/x-www-form-urlencoded')) throw new FormRefused(400, 'the request must be an application/x-www-form-urlencoded form');
  const declared = ctx.request.length;
  if (declared !== undefined && declared > MAX_FORM_BYTES) throw new FormRefused(413, 'the form is too large');
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    // destroyOnReturn false: stopping early must not destroy the socket the answer goes out on
    for await (const chunk of ctx.req.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_FORM_BYTES) throw new FormRefused(413, 'the form is too large');
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof FormRefused) throw error;
    // the client went away mid-body: nobody reads the answer, but it is the client's doing, not a 5xx
    throw new FormRefused(400, 'the form did not arrive whole');
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks, size));
  } catch {
    throw new FormRefused(400, 'the form is not valid UTF-8');
  }
}

/**
 * OpenID Connect Core §3.1.2.1 (and RP-Initiated Logout §2): the authorization and end-session
 * endpoints take POST as well as GET. oidc-provider's own POST support wants SameSite=None
 * cookies; ours stay Lax. A POSTed form is instead read here (size-limited, UTF-8,
 * application/x-www-form-urlencoded) and handed to oidc-provider as the same request by GET:
 * its parameters become the query, as they are, so a repeated parameter is refused exactly as
 * on GET. As with oidc-provider's POST, parameters in the URL of a POST are not used.
 * (dispatchByEndpoint runs it at those two endpoints only.)
 */
export function formPostAsGet(refuse: (ctx: Context, status: number, description: string) => void): Middleware {
  const serveAsGet = async (ctx: Context, next: Next) => {
    let form: string;
    try {
      form = await readFormText(ctx);
    } catch (error) {
      if (!(error instanceof FormRefused)) throw error;
      if (error.status === 413) ctx.set('Connection', 'close');
      return refuse(ctx, error.status, error.description);
    }
    if (!escapesAreUtf8(form)) return refuse(ctx, 400, MALFORMED_PARAMETERS);
    ctx.method = 'GET';
    ctx.querystring = new URLSearchParams(form).toString();
    return next();
  };
  return (ctx, next) => (ctx.method === 'POST' ? serveAsGet(ctx, next) : next());
}
