// The goals of issue 10, each PASS or MISS from the same run's numbers.
import { kib, median } from './report.mjs';

export const GOAL = { ratio: 0.85, extraCommands: 1, bytesRatio: 1.5, p99Ms: 50, growthToleranceBytes: 64 };

const goal = (name, pass, detail) => ({ name, pass, detail });

/** `rows` from the table (journey rows' ratio against the Argon2id limit), Redis `bytes` per server, the half-rate run. */
export function evaluateGoals({ rows, argon2Limit, bytes, halfRate, refreshes }) {
  const goals = [];
  for (const row of rows.filter((r) => !r.vsArgon2)) {
    goals.push(goal(`${row.name} ≥ ${GOAL.ratio} × baseline`, row.ratio >= GOAL.ratio, `${row.ratio.toFixed(2)}`));
  }
  for (const row of rows.filter((r) => r.vsArgon2)) {
    goals.push(goal(`${row.name} ≥ ${GOAL.ratio} × Argon2id limit`, row.ratio >= GOAL.ratio,
      `${row.renkei.rps.toFixed(1)}/s of ${argon2Limit[row.key].toFixed(1)}/s = ${row.ratio.toFixed(2)}`));
  }
  for (const row of rows.filter((r) => !r.vsArgon2)) {
    const { renkei, baseline } = row.commands;
    goals.push(goal(`${row.name}: Redis commands ≤ baseline + ${GOAL.extraCommands}`, renkei <= baseline + GOAL.extraCommands, `${renkei} vs ${baseline}`));
  }
  goals.push(goal(`Redis bytes per journey ≤ ${GOAL.bytesRatio} × baseline`, bytes.renkei.perJourney <= GOAL.bytesRatio * bytes.baseline.perJourney,
    `${kib(bytes.renkei.perJourney)} vs ${kib(bytes.baseline.perJourney)} (${(bytes.renkei.perJourney / bytes.baseline.perJourney).toFixed(2)})`));
  goals.push(goal(`Redis bytes per active grant ≤ ${GOAL.bytesRatio} × baseline`, bytes.renkei.grantAfterOneRefresh <= GOAL.bytesRatio * bytes.baseline.grantAfterOneRefresh,
    `${kib(bytes.renkei.grantAfterOneRefresh)} vs ${kib(bytes.baseline.grantAfterOneRefresh)} (${(bytes.renkei.grantAfterOneRefresh / bytes.baseline.grantAfterOneRefresh).toFixed(2)})`));
  const growth = bytes.renkei.grantAfterManyRefreshes - bytes.renkei.grantAfterOneRefresh;
  goals.push(goal(`a grant's bytes do not grow with refreshes`, growth <= GOAL.growthToleranceBytes,
    `${kib(bytes.renkei.grantAfterOneRefresh)} after 1, ${kib(bytes.renkei.grantAfterHalfTheRefreshes)} after ${refreshes / 2}, ${kib(bytes.renkei.grantAfterManyRefreshes)} after ${refreshes} (baseline ${kib(bytes.baseline.grantAfterOneRefresh)} → ${kib(bytes.baseline.grantAfterManyRefreshes)}; access tokens not counted)`));
  const { renkei, baseline } = halfRate;
  goals.push(goal(`token endpoint p99 < ${GOAL.p99Ms} ms at half the maximum rate`, renkei.p99 < GOAL.p99Ms,
    `p99 ${renkei.p99} ms (p50 ${renkei.p50} ms) over ${renkei.requests} refresh requests evenly spaced at ${renkei.rate}/s (baseline at the same rate: p99 ${baseline.p99} ms, p50 ${baseline.p50} ms); `
    + `each run's p99, renkei / baseline alternated: ${renkei.runs.map((run, i) => `${run.p99} / ${baseline.runs[i]?.p99}`).join(', ')} ms`
    + `${renkei.warmUp ? ` after a warm-up run each, not counted (${renkei.warmUp.p99} / ${baseline.warmUp?.p99} ms)` : ''}; `
    + `server CPU per request at this rate ${Math.round(median(renkei.runs.map((run) => run.cpuMicrosPerRequest)))} / ${Math.round(median(baseline.runs.map((run) => run.cpuMicrosPerRequest)))} µs`));
  return goals;
}
