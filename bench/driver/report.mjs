// The bench's table and its goals (PASS/MISS), from the medians of the alternated runs.

export const median = (values) => {
  const defined = values.filter((v) => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
  if (!defined.length) return undefined;
  const middle = Math.floor(defined.length / 2);
  return defined.length % 2 ? defined[middle] : (defined[middle - 1] + defined[middle]) / 2;
};

/** The value a share `q` of `sorted` (ascending) lies below, e.g. 0.99 for p99; undefined when empty. */
export const quantile = (sorted, q) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : undefined);

/** Medians of each measured value over a scenario's repetitions on one server. */
export function summarise(runs) {
  return {
    rps: median(runs.map((r) => r.rps)),
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    cpuMicrosPerRequest: median(runs.map((r) => r.cpuMicrosPerRequest)),
    eventLoopMicrosPerRequest: median(runs.map((r) => r.eventLoopMicrosPerRequest)),
    serverCoreShare: median(runs.map((r) => r.serverCoreShare)),
    driverCoreShare: median(runs.map((r) => r.driverCoreShare)),
    failed: runs.reduce((sum, r) => sum + r.failed, 0),
  };
}

/** How far a rate moved over a scenario's repetitions: fastest ÷ slowest − 1 (undefined for fewer than two). */
export function spread(values) {
  const rates = values.filter((v) => Number.isFinite(v) && v > 0);
  return rates.length > 1 ? Math.max(...rates) / Math.min(...rates) - 1 : undefined;
}

const fixed = (value, digits = 0) => (value === undefined ? '–' : value.toFixed(digits));
const pad = (text, width) => String(text).padStart(width);

/**
 * `ratio`: renkei's req/s ÷ the baseline's (journeys: ÷ the Argon2id limit). `cpuRatio`: the
 * baseline's CPU per request ÷ renkei's, which holds up better than req/s when other processes
 * take a share of the servers' core.
 */
export function printTable(rows) {
  const header = ['scenario'.padEnd(42), pad('renkei/s', 9), pad('bare/s', 9), pad('ratio', 6), pad('p50/p99 ms', 12), pad('bare p50/p99', 13),
    pad('CPU µs/req', 12), pad('bare µs', 8), pad('CPU ratio', 9), pad('Redis cmds', 11), pad('round trips', 11)].join(' ');
  console.log(header);
  for (const row of rows) {
    const { renkei, baseline } = row;
    console.log([
      (row.vsArgon2 ? `${row.name} (vs Argon2id limit)` : row.name).padEnd(42), pad(fixed(renkei.rps), 9), pad(fixed(baseline?.rps), 9), pad(fixed(row.ratio, 2), 6),
      pad(`${fixed(renkei.p50)}/${fixed(renkei.p99)}`, 12), pad(baseline ? `${fixed(baseline.p50)}/${fixed(baseline.p99)}` : '–', 13),
      pad(fixed(renkei.cpuMicrosPerRequest), 12), pad(fixed(baseline?.cpuMicrosPerRequest), 8), pad(fixed(row.cpuRatio, 2), 9),
      pad(`${row.commands.renkei} / ${row.commands.baseline}`, 11), pad(`${row.roundTrips.renkei} / ${row.roundTrips.baseline}`, 11),
    ].join(' '));
  }
}

export function printGoals(goals) {
  for (const g of goals) console.log(`${g.pass ? 'PASS' : 'MISS'}  ${g.name}: ${g.detail}`);
}

export const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;

/** The table and the goals as Markdown, for the README's Performance section. */
export function markdownReport({ rows, goals, findings, date, setup }) {
  const lines = [
    '| scenario | renkei | baseline | ratio | renkei p50 / p99 ms | baseline p50 / p99 ms | CPU µs per request renkei / baseline | CPU ratio | Redis commands (round trips) renkei / baseline |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const row of rows) {
    const { renkei, baseline } = row;
    lines.push(`| ${row.vsArgon2 ? `${row.name} (ratio to the Argon2id limit)` : row.name} | ${fixed(renkei.rps, row.vsArgon2 ? 1 : 0)}/s | ${fixed(baseline.rps, row.vsArgon2 ? 1 : 0)}/s | ${fixed(row.ratio, 2)} ` +
      `| ${fixed(renkei.p50)} / ${fixed(renkei.p99)} | ${fixed(baseline.p50)} / ${fixed(baseline.p99)} | ${fixed(renkei.cpuMicrosPerRequest)} / ${fixed(baseline.cpuMicrosPerRequest)} | ${fixed(row.cpuRatio, 2)} ` +
      `| ${row.commands.renkei} (${row.roundTrips.renkei}) / ${row.commands.baseline} (${row.roundTrips.baseline}) |`);
  }
  return [`${date}: ${setup}.`, '', ...lines, '', ...findings, '', ...goalLines(goals), ''].join('\n');
}

const goalLines = (goals) => goals.map((g) => `- ${g.pass ? 'PASS' : 'MISS'} ${g.name}: ${g.detail}`);
