import { statSync } from 'node:fs';
import type { Context } from 'koa';
import type { KoaContextWithOIDC, Provider } from 'oidc-provider';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { SeriesHistogram, type HistogramSeries } from './route-histogram.js';
import type { Keyring } from '../keys/keyring.js';
import { MEMOIZED_ROUTE } from '../provider/memoized-answers.js';
import type { AuditEvent, AuditFields } from '../shared/audit.js';

const FACTOR_OF_EVENT: Partial<Record<AuditEvent, string>> = {
  'login.failure': 'password',
  'digits.failure': 'digits',
  'additional_auth.failure': 'answer',
};

/** `grant.revoked` reasons (audit) and oidc-provider routes that revoke, as a bounded set of causes (expiry: expiry-sweep.ts). */
const REVOCATION_CAUSES: Readonly<Record<string, string>> = {
  customer: 'customer',
  admin: 'admin',
  password_changed: 'credential_change',
  credentials_changed: 'credential_change',
  user_deleted: 'user_deleted',
  client_deleted: 'client_deleted',
  grant_management: 'grant_management',
  // oidc-provider's own revocations, by the route that caused them
  token: 'replay',
  revocation: 'partner',
  end_session: 'logout',
};

/** Seconds since epoch of a file's last change; undefined while it cannot be read (a scrape never fails on it). */
function fileChangedAt(path: string): number | undefined {
  try {
    return statSync(path).mtimeMs / 1000;
  } catch {
    return undefined;
  }
}

interface RequestTally {
  readonly labels: { readonly listener: string; readonly route: string; readonly status: string };
  count: number;
}

/** What a route's requests are counted in: its duration series, its tally per status. */
interface RouteSeries {
  readonly labels: { readonly listener: string; readonly route: string };
  readonly durations: HistogramSeries;
  readonly byStatus: Map<number, RequestTally>;
}

export const revocationCause = (reason: unknown): string => REVOCATION_CAUSES[String(reason)] ?? 'other';

/** Prometheus metrics of one renkei process (served at /metrics on the admin listener). */
export class Metrics {
  readonly registry = new Registry();
  /** requests counted by httpObserver, handed to the counter when it is read */
  private readonly requestTallies: RequestTally[] = [];
  readonly httpRequests: Counter<'listener' | 'route' | 'status'> = new Counter({
    name: 'renkei_http_requests_total', help: 'HTTP requests by listener, route and status', labelNames: ['listener', 'route', 'status'] as const, registers: [this.registry],
    collect: () => {
      this.httpRequests.reset();
      for (const { labels, count } of this.requestTallies) if (count > 0) this.httpRequests.inc(labels, count);
    },
  });
  readonly httpDuration = new SeriesHistogram('renkei_http_request_duration_seconds', 'HTTP request durations', [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], this.registry);
  readonly authorizations = new Counter({ name: 'renkei_authorizations_total', help: 'Authorization requests by outcome (started, completed, cancelled)', labelNames: ['outcome'] as const, registers: [this.registry] });
  readonly lockouts = new Counter({ name: 'renkei_account_lockouts_total', help: 'Accounts locked after too many failures', registers: [this.registry] });
  readonly factorFailures = new Counter({ name: 'renkei_factor_failures_total', help: 'Failed customer authentication factors (password, digits, answer)', labelNames: ['factor'] as const, registers: [this.registry] });
  readonly throttled = new Counter({ name: 'renkei_throttled_requests_total', help: 'Requests refused with 429 by a failure budget (customer_ip: screens per IP; client_failures: token-endpoint failures per client and IP)', labelNames: ['limiter'] as const, registers: [this.registry] });
  readonly consents = new Counter({ name: 'renkei_consents_total', help: 'Consent decisions (granted, denied)', labelNames: ['decision'] as const, registers: [this.registry] });
  readonly revocations = new Counter({ name: 'renkei_grant_revocations_total', help: 'Grants revoked, by cause', labelNames: ['cause'] as const, registers: [this.registry] });
  readonly adminActions = new Counter({ name: 'renkei_admin_actions_total', help: 'Audited admin actions by the acting role and outcome (success, refused)', labelNames: ['role', 'outcome'] as const, registers: [this.registry] });
  readonly tokensIssued = new Counter({ name: 'renkei_tokens_issued_total', help: 'Token endpoint successes by grant type and (registered) client', labelNames: ['grant_type', 'client_id'] as const, registers: [this.registry] });
  readonly redisErrors = new Counter({ name: 'renkei_redis_errors_total', help: 'Redis connection errors', registers: [this.registry] });
  /** SSF events pushed to partners (src/events) */
  readonly events = {
    delivered: new Counter({ name: 'renkei_events_delivered_total', help: 'Events a partner accepted (200/202)', registers: [this.registry] }),
    retried: new Counter({ name: 'renkei_events_retried_total', help: 'Failed event deliveries scheduled for another attempt', registers: [this.registry] }),
    deadLettered: new Counter({ name: 'renkei_events_dead_lettered_total', help: 'Events given up on (refused, or undelivered for events.retryForSeconds)', registers: [this.registry] }),
    latency: new Histogram({ name: 'renkei_event_delivery_seconds', help: 'Seconds from queueing an event to its delivery', buckets: [0.05, 0.1, 0.5, 1, 5, 30, 60, 300, 3600, 86400], registers: [this.registry] }),
  };
  private keyring: { readonly keyring: Keyring; readonly jwksPath: string } | undefined;
  readonly signingKeyAge = new Gauge({
    name: 'renkei_signing_key_age_seconds',
    help: 'Seconds since the signing key of each algorithm began to sign (its renkei_not_before in keys/jwks.json, else the file\'s last change)',
    labelNames: ['alg'] as const,
    registers: [this.registry],
    collect: () => this.collectSigningKeyAges(),
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'renkei_' });
  }

  /** The audit hook: most business metrics follow audit events, so they count what the audit log says. */
  observeAudit(event: AuditEvent, fields: AuditFields): void {
    const factor = FACTOR_OF_EVENT[event];
    if (factor) this.factorFailures.inc({ factor });
    else if (event === 'account.locked') this.lockouts.inc();
    else if (event === 'consent.granted') this.consents.inc({ decision: 'granted' });
    else if (event === 'consent.denied') this.consents.inc({ decision: 'denied' });
    else if (event === 'grant.revoked') this.revocations.inc({ cause: revocationCause(fields.reason) });
    // events written inside an admin request carry the acting staff member's role (actor-audit.ts)
    if (typeof fields.actor_role === 'string') {
      this.adminActions.inc({ role: fields.actor_role, outcome: fields.outcome === 'refused' ? 'refused' : 'success' });
    }
  }

  /** the keyring the provider signs with (reloaded by the key watcher) and its file */
  watchKeyring(keyring: Keyring, jwksPath: string): void {
    this.keyring = { keyring, jwksPath };
  }

  private collectSigningKeyAges(): void {
    this.signingKeyAge.reset();
    if (!this.keyring) return;
    const { keyring, jwksPath } = this.keyring;
    const nowSeconds = Date.now() / 1000;
    const { statuses } = keyring.schedule(Math.floor(nowSeconds));
    for (const key of keyring.list()) {
      if (statuses.get(key.kid) !== 'signing') continue;
      const since = key.renkei_not_before ?? fileChangedAt(jwksPath);
      if (since === undefined) continue;
      this.signingKeyAge.set({ alg: key.alg }, Math.max(0, Math.round(nowSeconds - since)));
    }
  }

  /**
   * Counts a finished request by the route that matched (never the raw path: ids would explode the
   * label set). Label sets are built once per route and status (a bounded set).
   */
  httpObserver(listener: 'public' | 'admin'): (ctx: Context, seconds: number) => void {
    const routes = new Map<string | RegExp, RouteSeries>();
    const routeSeries = (route: string): RouteSeries => {
      const labels = { listener, route };
      return { labels, durations: this.httpDuration.seriesOf(labels), byStatus: new Map() };
    };
    let unmatched: RouteSeries | undefined;
    const seriesOf = (ctx: Context): RouteSeries => {
      const matched = (ctx as Context & { _matchedRoute?: string | RegExp })._matchedRoute;
      const oidcRoute = matched ? undefined : (ctx as unknown as Partial<KoaContextWithOIDC>).oidc?.route ?? (ctx.state[MEMOIZED_ROUTE] as string | undefined);
      const key = matched ?? oidcRoute;
      if (key === undefined) return (unmatched ??= routeSeries('unmatched'));
      let series = routes.get(key);
      if (series === undefined) {
        series = routeSeries(matched ? String(matched).replace(/\(\?:.*$/, '') : `oidc:${oidcRoute}`);
        routes.set(key, series);
      }
      return series;
    };
    return (ctx, seconds) => {
      const series = seriesOf(ctx);
      const { status } = ctx;
      let tally = series.byStatus.get(status);
      if (tally === undefined) {
        tally = { labels: { ...series.labels, status: String(status) }, count: 0 };
        series.byStatus.set(status, tally);
        this.requestTallies.push(tally);
      }
      tally.count++;
      series.durations.observe(seconds);
    };
  }

  watchProvider(provider: Provider): void {
    provider.on('interaction.started', () => this.authorizations.inc({ outcome: 'started' }));
    provider.on('authorization.success', () => this.authorizations.inc({ outcome: 'completed' }));
    provider.on('authorization.error', (_ctx: KoaContextWithOIDC, error: { error?: string }) => {
      if (error.error === 'access_denied') this.authorizations.inc({ outcome: 'cancelled' });
    });
    // grant.success follows client authentication, so client_id is always a registered client's
    provider.on('grant.success', (ctx: KoaContextWithOIDC) => this.tokensIssued.inc({
      grant_type: String(ctx.oidc.params?.grant_type ?? 'unknown'),
      client_id: ctx.oidc.client?.clientId ?? 'unknown',
    }));
    // oidc-provider's own revocations: a replayed code or refresh token, a partner's revocation, a logout
    provider.on('grant.revoked', (ctx: KoaContextWithOIDC) => this.revocations.inc({ cause: revocationCause(ctx.oidc?.route) }));
  }
}
