import type { Context, Middleware } from 'koa';
import type { KoaContextWithOIDC, Provider } from 'oidc-provider';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of one renkei process (served at /metrics on the admin listener). */
export class Metrics {
  readonly registry = new Registry();
  readonly httpRequests = new Counter({ name: 'renkei_http_requests_total', help: 'HTTP requests by listener, route and status', labelNames: ['listener', 'route', 'status'] as const, registers: [this.registry] });
  readonly httpDuration = new Histogram({ name: 'renkei_http_request_duration_seconds', help: 'HTTP request durations', labelNames: ['listener', 'route'] as const, buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers: [this.registry] });
  readonly authorizations = new Counter({ name: 'renkei_authorizations_total', help: 'Authorization requests by outcome (started, completed, cancelled)', labelNames: ['outcome'] as const, registers: [this.registry] });
  readonly lockouts = new Counter({ name: 'renkei_account_lockouts_total', help: 'Accounts locked after too many failures', registers: [this.registry] });
  readonly tokensIssued = new Counter({ name: 'renkei_tokens_issued_total', help: 'Token endpoint successes by grant type', labelNames: ['grant_type'] as const, registers: [this.registry] });
  readonly redisErrors = new Counter({ name: 'renkei_redis_errors_total', help: 'Redis connection errors', registers: [this.registry] });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'renkei_' });
  }

  /** Counts requests by the route that matched (never the raw path: ids would explode the label set). */
  httpMiddleware(listener: 'public' | 'admin'): Middleware {
    return async (ctx: Context, next) => {
      const end = this.httpDuration.startTimer();
      try {
        await next();
      } finally {
        const oidcRoute = (ctx as unknown as Partial<KoaContextWithOIDC>).oidc?.route;
        const matched = (ctx as Context & { _matchedRoute?: string | RegExp })._matchedRoute;
        const route = matched ? String(matched).replace(/\(\?:.*$/, '') : oidcRoute ? `oidc:${oidcRoute}` : 'unmatched';
        this.httpRequests.inc({ listener, route, status: String(ctx.status) });
        end({ listener, route });
      }
    };
  }

  watchProvider(provider: Provider): void {
    provider.on('interaction.started', () => this.authorizations.inc({ outcome: 'started' }));
    provider.on('authorization.success', () => this.authorizations.inc({ outcome: 'completed' }));
    provider.on('authorization.error', (_ctx: KoaContextWithOIDC, error: { error?: string }) => {
      if (error.error === 'access_denied') this.authorizations.inc({ outcome: 'cancelled' });
    });
    provider.on('grant.success', (ctx: KoaContextWithOIDC) => this.tokensIssued.inc({ grant_type: String(ctx.oidc.params?.grant_type ?? 'unknown') }));
  }
}
