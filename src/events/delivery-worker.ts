import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { ClientRecord } from '../clients/client-record.js';
import type { RenkeiConfig } from '../settings/types.js';
import type { EventOutbox, OutboxEntry } from './event-outbox.js';
import type { EventMetrics } from './event-metrics.js';
import { pushSet, type PushOutcome } from './push-delivery.js';
import type { SetSigner } from './set-signer.js';

export interface DeliveryWorkerDependencies {
  readonly outbox: EventOutbox;
  readonly signer: SetSigner;
  readonly config: RenkeiConfig['events'];
  readonly logger: Logger;
  /** the stored client record, for its current endpoint and Authorization */
  readonly findClient: (clientId: string) => Promise<ClientRecord | undefined>;
  /** opens a sealed events_authorization of this client */
  readonly openAuthorization: (clientId: string, sealed: NonNullable<ClientRecord['events_authorization_sealed']>) => string;
  readonly metrics?: EventMetrics;
  /** production: receivers on loopback, private or reserved addresses are refused (receiver-address.ts) */
  readonly publicReceiversOnly?: boolean;
  /** work done on each round besides delivery (the grant expiry sweep) */
  readonly onRound?: () => Promise<void>;
  readonly now?: () => number;
  readonly instanceId?: string;
}

const EVENTS_PER_ROUND = 100;

/** The wait before attempt n+1 after n failures: doubling from initialBackoffMs, capped. */
export function backoffMs(failures: number, config: Pick<RenkeiConfig['events'], 'initialBackoffMs' | 'maxBackoffSeconds'>): number {
  return Math.min(config.initialBackoffMs * 2 ** Math.max(0, failures - 1), config.maxBackoffSeconds * 1000);
}

/**
 * Runs on every instance. Each round it takes each partner's lease in turn (one instance per
 * partner at a time) and pushes that partner's events oldest first: the head waits out its backoff
 * before anything behind it goes, so the partner sees each grant's events in order.
 */
export class DeliveryWorker {
  private readonly now: () => number;
  private readonly instanceId: string;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private lastFailure: string | undefined;

  constructor(private readonly deps: DeliveryWorkerDependencies) {
    this.now = deps.now ?? Date.now;
    this.instanceId = deps.instanceId ?? randomUUID();
  }

  private get leaseMs(): number {
    return Math.max(30_000, this.deps.config.timeoutMs * 3);
  }

  start(): void {
    const schedule = () => {
      if (this.stopped) return;
      this.timer = setTimeout(() => {
        this.running = this.runOnce().then(() => {
          this.lastFailure = undefined;
        }, (error: unknown) => {
          // once per outage, not once per round (Redis away: every round fails the same way)
          const message = (error as Error).message;
          if (message !== this.lastFailure) this.deps.logger.warn({ event: 'event.worker_failed', err: { message } }, 'event delivery round failed');
          this.lastFailure = message;
        }).finally(schedule);
      }, this.deps.config.pollIntervalMs);
      this.timer.unref();
    };
    schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  async runOnce(): Promise<void> {
    await this.deps.onRound?.();
    for (const clientId of await this.deps.outbox.clientIds()) {
      if (this.stopped) return;
      if (!(await this.deps.outbox.lease(clientId, this.instanceId, this.leaseMs))) continue;
      try {
        await this.deliverStream(clientId);
      } finally {
        await this.deps.outbox.release(clientId, this.instanceId);
      }
    }
  }

  private async deliverStream(clientId: string): Promise<void> {
    for (let i = 0; i < EVENTS_PER_ROUND && !this.stopped; i++) {
      const entry = await this.deps.outbox.head(clientId, this.instanceId);
      if (!entry || (entry.retry && entry.retry.nextAttemptAt > this.now())) return;
      if (!(await this.deps.outbox.lease(clientId, this.instanceId, this.leaseMs))) return;
      const goOn = await this.deliver(entry);
      if (!goOn) return;
    }
  }

  /** One attempt; true when the stream may go on to the next event. */
  private async deliver(entry: OutboxEntry): Promise<boolean> {
    const { outbox, logger, metrics, config } = this.deps;
    const client = await this.deps.findClient(entry.clientId);
    const endpoint = client?.events_endpoint ?? entry.event.target.endpoint;
    const sealed = client?.events_endpoint ? client.events_authorization_sealed : entry.event.target.authorizationSealed;
    const { jti } = entry.event.claims;
    const fields = { client_id: entry.clientId, jti, grant_id: entry.event.grantId, type: Object.keys(entry.event.claims.events)[0] };
    const outcome: PushOutcome = await pushSet(endpoint, await this.deps.signer.sign(entry.event.claims), {
      authorization: sealed ? this.deps.openAuthorization(entry.clientId, sealed) : undefined,
      timeoutMs: config.timeoutMs,
      publicAddressesOnly: this.deps.publicReceiversOnly === true,
    });
    const now = this.now();
    const attempts = (entry.retry?.attempts ?? 0) + 1;
    if (outcome.kind === 'delivered') {
      await outbox.markDelivered(entry, now);
      metrics?.delivered.inc();
      metrics?.latency.observe(Math.max(0, now - entry.event.queuedAt) / 1000);
      logger.info({ event: 'event.delivered', ...fields, status: outcome.status, attempts }, 'event delivered to the partner');
      return true;
    }
    if (outcome.kind === 'rejected') {
      logger.warn({ event: 'event.rejected', ...fields, status: outcome.status, err: outcome.err, description: outcome.description, attempts }, `the partner refused the event: ${outcome.err}`);
      await outbox.deadLetter(entry, `rejected: ${outcome.err}`, now);
      metrics?.deadLettered.inc();
      return true;
    }
    logger.warn({ event: 'event.delivery_failed', ...fields, status: outcome.status, err: outcome.err, reason: outcome.reason, attempts }, 'event delivery failed');
    if (now - (entry.event.requeuedAt ?? entry.event.queuedAt) >= config.retryForSeconds * 1000) {
      await outbox.deadLetter(entry, outcome.reason, now);
      metrics?.deadLettered.inc();
      logger.error({ event: 'event.dead_lettered', ...fields, attempts, reason: outcome.reason }, 'event dead-lettered after its retry period');
      return true;
    }
    await outbox.scheduleRetry(entry, { attempts, nextAttemptAt: now + backoffMs(attempts, config), lastError: outcome.reason });
    metrics?.retried.inc();
    return false;
  }
}
