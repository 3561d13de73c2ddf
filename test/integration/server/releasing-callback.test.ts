import { afterEach, describe, expect, it } from '@jest/globals';
import { Agent, createServer, request as httpRequest, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa, { type Context } from 'koa';
import { releasingCallback } from '../../../src/shared/releasing-callback.js';

/** What oidc-provider does to every context it serves: `oidc` as a getter closing over the context. */
function defineOidcLikeProvider(ctx: Context): void {
  let oidc: { entities: Record<string, unknown>; route: string } | undefined;
  Object.defineProperty(ctx, 'oidc', {
    get: () => {
      oidc ||= { entities: { Client: { clientId: 'c-1' } }, route: ctx.path };
      return oidc;
    },
  });
}

interface Served {
  readonly server: Server;
  readonly origin: string;
  readonly contexts: Context[];
  /** resolves when the n-th response (from 0) has closed and the turn after it has run */
  closed(n: number): Promise<void>;
}

let served: Served | undefined;

async function serve(answer: Koa.Middleware): Promise<Served> {
  const app = new Koa();
  const contexts: Context[] = [];
  const closes: Promise<void>[] = [];
  app.use(async (ctx, next) => {
    contexts.push(ctx);
    await next();
  });
  app.use(answer);
  const handle = releasingCallback(app);
  const server = createServer((req, res: ServerResponse) => {
    closes.push(new Promise((resolve) => res.once('close', () => setImmediate(resolve))));
    void handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  served = { server, origin, contexts, closed: (n) => closes[n]! };
  return served;
}

afterEach(async () => {
  if (served) await new Promise((resolve) => served!.server.close(resolve));
  served = undefined;
});

describe('each request lets go of what its context holds once it is over', () => {
  it('answers as koa does, then empties the context and the oidc-provider context it carries', async () => {
    const upstream = Symbol('upstream');
    const { origin, contexts, closed } = await serve((ctx) => {
      defineOidcLikeProvider(ctx);
      // as ProviderHolder keeps the request's continuation
      (ctx as unknown as Record<symbol, unknown>)[upstream] = () => 'the rest of the chain';
      ctx.state.customer = 'c-42';
      ctx.body = { route: (ctx as unknown as { oidc: { route: string } }).oidc.route, customer: ctx.state.customer };
    });

    const response = await fetch(`${origin}/token`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ route: '/token', customer: 'c-42' });
    await closed(0);

    const [ctx] = contexts;
    for (const field of ['request', 'response', 'req', 'res', 'state']) expect((ctx as unknown as Record<string, unknown>)[field]).toBeUndefined();
    expect((ctx as unknown as Record<symbol, unknown>)[upstream]).toBeUndefined();
    const oidc = (ctx as unknown as { oidc: { entities?: unknown; route?: unknown } }).oidc;
    expect(oidc.entities).toBeUndefined();
    expect(oidc.route).toBeUndefined();
  });

  it('keeps the context whole while the middleware of a request its client abandoned still runs', async () => {
    let resume!: () => void;
    const resumed = new Promise<void>((resolve) => (resume = resolve));
    let started!: () => void;
    const middlewareStarted = new Promise<void>((resolve) => (started = resolve));
    let finished!: () => void;
    const middlewareDone = new Promise<void>((resolve) => (finished = resolve));
    const seenAfterAbandon: unknown[] = [];
    const { origin, contexts, closed } = await serve(async (ctx) => {
      defineOidcLikeProvider(ctx);
      ctx.state.customer = 'c-42';
      started();
      await resumed;
      seenAfterAbandon.push(ctx.state.customer, ctx.path, (ctx as unknown as { oidc: { entities: { Client: unknown } } }).oidc.entities.Client);
      ctx.body = 'late';
      finished();
    });

    const { port } = new URL(origin);
    const request = httpRequest({ host: '127.0.0.1', port, path: '/slow', agent: false });
    request.on('error', () => {});
    request.end();
    await middlewareStarted;
    request.destroy();
    await closed(0);
    resume();
    await middlewareDone;

    expect(seenAfterAbandon).toEqual(['c-42', '/slow', { clientId: 'c-1' }]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(contexts[0]!.state).toBeUndefined();
  });

  it('serves the next request on the same kept-alive connection with a context of its own', async () => {
    const { origin, contexts, closed } = await serve((ctx) => {
      ctx.body = ctx.get('x-n');
    });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const get = (n: string) => new Promise<{ body: string; reused: boolean }>((resolve, reject) => {
      const request = httpRequest(`${origin}/`, { agent, headers: { 'x-n': n } }, (response) => {
        let body = '';
        response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk)).on('end', () => resolve({ body, reused: request.reusedSocket }));
      });
      request.on('error', reject).end();
    });
    const first = await get('1');
    await closed(0);
    const second = await get('2');
    await closed(1);
    agent.destroy();

    expect([first.body, second.body]).toEqual(['1', '2']);
    expect(second.reused).toBe(true);
    expect(contexts).toHaveLength(2);
    expect(contexts[1]!.state).toBeUndefined();
  });
});
