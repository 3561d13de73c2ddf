import type { IncomingMessage, ServerResponse } from 'node:http';
import type Koa from 'koa';
import type { Context } from 'koa';

/**
 * `app.callback()`, except that each request's koa context lets go of what it holds (the request,
 * the response, oidc-provider's context with its entities) once the request is over: its
 * middleware and koa's response handling have settled and the response has closed.
 *
 * Why: oidc-provider defines `ctx.oidc` on every context it serves as an accessor whose getter
 * closes over the context (and over the request's `next`). V8 keeps accessor pairs and the maps
 * that hold them in the old generation, so every such request leaves an old-to-young pointer to
 * its whole object graph. A young-generation GC takes those pointers as live (only a full GC sees
 * that the pair itself is garbage), so each request's objects were copied twice and promoted:
 * longer young-generation pauses, and a full GC every few seconds under load. After the release
 * that pointer reaches two emptied objects.
 *
 * Waiting for 'close' as well matters: koa's error listener on the response (a socket error after
 * the body was handed over) reads the context until the response has finished, and the response
 * of a request its client abandoned closes while the middleware still runs. Code that reads the
 * context after an `await` must have read it before the response could close.
 */
export function releasingCallback(app: Koa): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const handle = app.callback();
  const createContext = app.createContext.bind(app);
  let created: Context | undefined;
  // koa creates the request's context synchronously, first thing in the handler
  app.createContext = (req, res) => {
    created = createContext(req, res) as Context;
    return created;
  };
  return (req, res) => {
    const settled = handle(req, res);
    const ctx = created!;
    created = undefined;
    return settled.finally(() => {
      if (res.closed) release(ctx);
      else res.once('close', () => release(ctx));
    });
  };
}

function release(ctx: Context): void {
  if (Object.hasOwn(ctx, 'oidc')) emptyObject(ctx.oidc as object);
  emptyObject(ctx);
}

/**
 * Every own property set to undefined but `oidc` (oidc-provider's accessor, not configurable) and
 * `app` (shared by every request); symbol-keyed ones too (ProviderHolder keeps the request's
 * `next` under one). Object.keys and plain stores: Reflect.ownKeys and Reflect.set took about
 * 5 µs a request for the two objects' 25 or so properties.
 */
function emptyObject(holder: object): void {
  const record = holder as Record<PropertyKey, unknown>;
  for (const key of Object.keys(record)) if (key !== 'oidc' && key !== 'app') record[key] = undefined;
  for (const key of Object.getOwnPropertySymbols(record)) record[key] = undefined;
}
