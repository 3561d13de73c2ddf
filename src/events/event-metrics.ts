import type { Counter, Histogram } from 'prom-client';

/** What the delivery worker counts (registered in the admin Metrics). */
export interface EventMetrics {
  readonly delivered: Pick<Counter, 'inc'>;
  readonly retried: Pick<Counter, 'inc'>;
  readonly deadLettered: Pick<Counter, 'inc'>;
  /** seconds from queueing to the partner's 2xx */
  readonly latency: Pick<Histogram, 'observe'>;
}
