import type { Registry } from 'prom-client';

type Labels = Readonly<Record<string, string>>;

/** One label set's observations: counts per bucket (not cumulative), their sum and number. */
export class HistogramSeries {
  private readonly counts: number[];
  private sum = 0;
  private count = 0;

  constructor(readonly labels: Labels, private readonly bounds: readonly number[]) {
    this.counts = bounds.map(() => 0);
  }

  observe(value: number): void {
    const { bounds } = this;
    for (let i = 0; i < bounds.length; i++) {
      if (value <= bounds[i]!) {
        this.counts[i]!++;
        break;
      }
    }
    this.sum += value;
    this.count++;
  }

  reset(): void {
    this.counts.fill(0);
    this.sum = 0;
    this.count = 0;
  }

  /** prom-client's histogram values of this series, for its registry to print */
  values(name: string): object[] {
    let cumulative = 0;
    const values: object[] = this.bounds.map((le, i) => {
      cumulative += this.counts[i]!;
      return { labels: { le }, sharedLabels: this.labels, value: cumulative, metricName: `${name}_bucket`, exemplar: null };
    });
    values.push(
      { labels: { le: '+Inf' }, sharedLabels: this.labels, value: this.count, metricName: `${name}_bucket`, exemplar: null },
      { labels: {}, sharedLabels: this.labels, value: this.sum, metricName: `${name}_sum` },
      { labels: {}, sharedLabels: this.labels, value: this.count, metricName: `${name}_count` },
    );
    return values;
  }
}

/**
 * A Prometheus histogram whose series are held by their users: an observation is a bucket search
 * and two additions. prom-client's histogram validates and hashes the label set on every
 * observation, a few µs of every request's CPU. The exposition is prom-client's own (its
 * registry prints what `getForPromString` returns, as for its histograms).
 */
export class SeriesHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly series: HistogramSeries[] = [];

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly bounds: readonly number[],
    registry: Registry,
  ) {
    registry.registerMetric(this as never);
  }

  /** the series of one label set: create it once, keep it, observe through it */
  seriesOf(labels: Labels): HistogramSeries {
    const series = new HistogramSeries(labels, this.bounds);
    this.series.push(series);
    return series;
  }

  async getForPromString() {
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values: this.series.flatMap((s) => s.values(this.name)) };
  }

  /** as prom-client's get(): the series' labels spread into each value */
  async get() {
    const metric = await this.getForPromString();
    return {
      ...metric,
      values: metric.values.map((value) => {
        const { labels, sharedLabels, ...rest } = value as { labels: Labels; sharedLabels: Labels };
        return { ...rest, labels: { ...labels, ...sharedLabels } };
      }),
    };
  }

  /** zeroes every series (their holders keep observing through them) */
  reset(): void {
    for (const series of this.series) series.reset();
  }
}
