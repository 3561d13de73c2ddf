// Where renkei spends more than the baseline per request: self time by function from two
// .cpuprofile files (bench/fixed-costs.mjs with PROFILE_DIR), each divided by its server's requests.
//   node bench/profile-diff.mjs RENKEI.cpuprofile RENKEI_REQUESTS BASELINE.cpuprofile BASELINE_REQUESTS [ROWS]
// The profiles include start-up (module loading, schema compilation): read those rows as such.
import { selfTimeByFunction } from './driver/profile.mjs';

const [renkeiFile, renkeiRequests, baselineFile, baselineRequests, rowCount = 40] = process.argv.slice(2);
const renkei = selfTimeByFunction(renkeiFile);
const baseline = selfTimeByFunction(baselineFile);
const rows = [...new Set([...renkei.keys(), ...baseline.keys()])].map((key) => ({
  key, renkei: (renkei.get(key) ?? 0) / Number(renkeiRequests), baseline: (baseline.get(key) ?? 0) / Number(baselineRequests),
}));
const total = (side) => rows.reduce((sum, row) => sum + row[side], 0);
console.log(`busy µs per request: renkei ${total('renkei').toFixed(1)}, baseline ${total('baseline').toFixed(1)}`);
console.log('  extra  renkei baseline  function');
for (const row of rows.sort((a, b) => b.renkei - b.baseline - (a.renkei - a.baseline)).slice(0, Number(rowCount))) {
  console.log(`${(row.renkei - row.baseline).toFixed(2).padStart(7)} ${row.renkei.toFixed(2).padStart(7)} ${row.baseline.toFixed(2).padStart(7)}  ${row.key}`);
}
