import { describe, expect, it } from '@jest/globals';
import { Histogram, Registry } from 'prom-client';
import { SeriesHistogram } from '../../../src/admin/route-histogram.js';

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const OBSERVED: [Record<string, string>, number][] = [
  [{ listener: 'public', route: 'oidc:token' }, 0.003], [{ listener: 'public', route: 'oidc:token' }, 0.005],
  [{ listener: 'public', route: '/interaction/:uid' }, 0.7], [{ listener: 'public', route: 'oidc:token' }, 9],
  [{ listener: 'admin', route: 'unmatched' }, 0.0101],
];

describe('the per-series histogram', () => {
  it("prints and reports exactly what prom-client's histogram does for the same observations", async () => {
    const theirs = new Registry();
    const reference = new Histogram({ name: 'h_seconds', help: 'durations', labelNames: ['listener', 'route'], buckets: BUCKETS, registers: [theirs] });
    const ours = new Registry();
    const histogram = new SeriesHistogram('h_seconds', 'durations', BUCKETS, ours);
    const series = new Map<string, ReturnType<SeriesHistogram['seriesOf']>>();
    for (const [labels, value] of OBSERVED) {
      reference.observe(labels, value);
      const key = JSON.stringify(labels);
      if (!series.has(key)) series.set(key, histogram.seriesOf(labels));
      series.get(key)!.observe(value);
    }
    expect(await ours.metrics()).toBe(await theirs.metrics());
    expect(await ours.getMetricsAsJSON()).toEqual(await theirs.getMetricsAsJSON());

    histogram.reset();
    series.values().next().value!.observe(0.2);
    expect(await ours.metrics()).toContain('h_seconds_count{listener="public",route="oidc:token"} 1');
  });
});
