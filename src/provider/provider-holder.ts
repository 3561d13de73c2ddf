import type { Context, Middleware, Next } from 'koa';
import mount from 'koa-mount';
import type Provider from 'oidc-provider';

const UPSTREAM = Symbol('upstream');
type ContextWithUpstream = Context & { [UPSTREAM]?: Next };

/**
 * What follows the provider when it leaves a request alone. One function for every request, which
 * finds the request's own continuation on its context (koa-compose hands the context to the last
 * `next`): oidc-provider keeps each request's `next` until the next full GC (see
 * releasing-callback.ts), and through a per-request `next` it would keep this app's whole
 * middleware chain of the request with it.
 */
const fallThrough = (ctx: ContextWithUpstream): Promise<unknown> => ctx[UPSTREAM]!();

/**
 * The provider currently serving. It is rebuilt (same store, new keystore) when the signing-key
 * schedule changes, so a staged key rotation takes effect without a restart.
 */
export class ProviderHolder {
  private mounted: Middleware;

  constructor(private provider: Provider) {
    this.mounted = mount(provider);
  }

  get current(): Provider {
    return this.provider;
  }

  replace(provider: Provider): void {
    this.provider = provider;
    this.mounted = mount(provider);
  }

  middleware(): Middleware {
    return (ctx, next) => {
      (ctx as ContextWithUpstream)[UPSTREAM] = next;
      return this.mounted(ctx, fallThrough as unknown as Next);
    };
  }
}
