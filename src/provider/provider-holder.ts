import type { Middleware } from 'koa';
import mount from 'koa-mount';
import type Provider from 'oidc-provider';

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
    return (ctx, next) => this.mounted(ctx, next);
  }
}
