// npm run bench: renkei side by side with a bare oidc-provider baseline (bench/baseline), in one
// run on one Redis. Each server is its own process pinned to one core (the load generator and
// Redis on the other); scenarios alternate renkei, baseline, renkei, … and report medians.
// Results: the table on stdout and bench/results/latest.json. Exit code 1 only when a scenario
// errors; a MISS is a measurement, not a failure.
import { writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { Redis } from 'ioredis';
import { startRedisServer } from '../test/support/redis-server.mjs';
import { SERVER_SCRIPTS, startBenchServer } from './driver/bench-servers.mjs';
import { FapiPartner } from './driver/fapi.mjs';
import { Browser, runJourneys, walkJourney } from './driver/journey.mjs';
import { runLoad } from './driver/load.mjs';
import { pooledLatencies, runSteadyLoad } from './driver/steady-load.mjs';
import { pin, ServerProcess } from './driver/processes.mjs';
import { countCommands, idleCommands } from './driver/redis-probe.mjs';
import { bytesPerJourney, grantBytes } from './driver/footprint.mjs';
import { evaluateGoals } from './driver/goals.mjs';
import { kib, markdownReport, median, printGoals, printTable, spread, summarise } from './driver/report.mjs';
import { sendOnce, tokenScenarios } from './driver/scenarios.mjs';

const env = process.env;
const SECONDS = Number(env.BENCH_SECONDS ?? 5);
const REPS = Number(env.BENCH_REPS ?? 3);
const WARMUP_SECONDS = Number(env.BENCH_WARMUP_SECONDS ?? 1);
const CONNECTIONS = Number(env.BENCH_CONNECTIONS ?? 20);
const JOURNEY_WORKERS = Number(env.BENCH_JOURNEY_WORKERS ?? 8);
const BYTES_JOURNEYS = Number(env.BENCH_BYTES_JOURNEYS ?? 10);
const REFRESHES = 200;
// BENCH_ONLY=discovery,jwks,userinfo runs only those scenarios (keys as in latest.json; journey_known, journey_new;
// `bytes` for the Redis bytes), without the half-rate run and the goals; results then go to results/partial.*
const ONLY = env.BENCH_ONLY ? new Set(env.BENCH_ONLY.split(',').map((key) => key.trim()).filter(Boolean)) : undefined;
const included = (key) => !ONLY || ONLY.has(key);
const RESULTS_FILE = new URL(ONLY ? './results/partial.json' : './results/latest.json', import.meta.url);
const MARKDOWN_FILE = new URL(ONLY ? './results/partial.md' : './results/latest.md', import.meta.url);

const startedAt = performance.now();
const elapsed = () => ((performance.now() - startedAt) / 1000).toFixed(0);
const step = (text) => console.error(`[${elapsed()} s] ${text}`);
const loadBefore = loadavg();

// cores: the servers (and the Argon2id measurement) on core 1, this driver and Redis on core 0
const cores = availableParallelism() >= 2 ? { driver: 0, server: 1 } : {};
const driverPinned = cores.driver !== undefined && pin(process.pid, cores.driver);

// whatever happens, the processes this run started end with it
const children = [];
process.on('exit', () => children.forEach((child) => child.kill('SIGKILL')));
process.on('uncaughtException', (error) => {
  console.error(error);
  process.exit(2);
});

const redisServer = await startRedisServer();
children.push(redisServer.process);
if (cores.driver !== undefined) pin(redisServer.process.pid, cores.driver);
const redis = new Redis(redisServer.url);
const fapi = await FapiPartner.generate();

step('starting renkei and the baseline');
const NAMES = ['renkei', 'baseline'];
const PREFIX = { renkei: 'renkei:', baseline: 'bare:' };
const HASHED_BASELINE = 'baselineWithHashes';
const servers = {};
for (const name of NAMES) {
  const server = await startBenchServer(name, SERVER_SCRIPTS[name], { redisUrl: redisServer.url, fapi, clientSecret: name === 'baseline', core: cores.server });
  children.push(server.process.child);
  servers[name] = { ...server, tokens: await server.process.call('mintTokens') };
}
const processes = { renkei: servers.renkei.process, baseline: servers.baseline.process };
const pinned = driverPinned && NAMES.every((name) => processes[name].pinned);
if (!pinned) console.error('note: taskset unavailable or refused; processes are not pinned to cores');

let errored = false;
const failures = [];
function fail(what, detail) {
  errored = true;
  failures.push(`${what}: ${detail}`);
  console.error(`ERROR ${what}: ${detail}`);
}

// every scenario answers 2xx once on each server before anything is measured
const scenarios = tokenScenarios(fapi).filter((scenario) => included(scenario.key));
for (const scenario of scenarios) {
  for (const name of NAMES) {
    const result = await sendOnce(await scenario.prepare(servers[name], 1));
    if (result.status >= 300) fail(`${scenario.name} on ${name}`, `${result.status} ${result.text.slice(0, 300)}`);
  }
}

// --- Redis bytes, before the load runs fill Redis ------------------------------------------
step('Redis bytes per journey and per grant');
const bytes = {};
const MEASURE_BYTES = !ONLY || ONLY.has('bytes');
for (const name of MEASURE_BYTES ? NAMES : []) {
  bytes[name] = {
    ...(await bytesPerJourney(redis, PREFIX[name], servers[name], BYTES_JOURNEYS)),
    ...(await grantBytes(redis, PREFIX[name], servers[name], REFRESHES)),
  };
}

// --- journey workers: one customer each; a first journey makes each worker's browser known ---
step('journey workers');
const journeyScenarios = [
  { key: 'journey_known', name: 'journey, known browser', hashes: 1, browserFor: (w) => w.browser },
  { key: 'journey_new', name: 'journey, new browser', hashes: 2, browserFor: (w) => new Browser(w.browser.origin) },
].filter((journey) => included(journey.key));
const workers = {};
for (const name of journeyScenarios.length ? NAMES : []) {
  const server = servers[name];
  const customers = await server.process.call('customers', { count: JOURNEY_WORKERS });
  workers[name] = customers.map((customer) => ({ customer, browser: new Browser(server.issuer) }));
  await Promise.all(workers[name].map((w) => walkJourney({ browser: w.browser, endpoints: server.endpoints, client: server.seed.client, customer: w.customer })));
}

// --- Redis commands per request ---------------------------------------------------------
step('Redis commands per request (MONITOR)');
const background = await idleCommands(redisServer.url, 2);
const commands = {};
for (const name of NAMES) {
  const server = servers[name];
  commands[name] = {};
  for (const scenario of scenarios) {
    commands[name][scenario.key] = await countCommands(redisServer.url, sendOnce, background.kinds, () => scenario.prepare(server, 1));
  }
  for (const journey of journeyScenarios) {
    const worker = workers[name][0];
    commands[name][journey.key] = await countCommands(redisServer.url, () =>
      walkJourney({ browser: journey.browserFor(worker), endpoints: server.endpoints, client: server.seed.client, customer: worker.customer }), background.kinds);
  }
}

// --- Argon2id: hashes per second on the servers' core, measured between the journey runs ---
const argon2Process = await ServerProcess.start(new URL('./servers/argon2.mjs', import.meta.url).pathname, { core: cores.server });
children.push(argon2Process.child);
const argon2Runs = [];
// argon2Sync in a loop on the pinned core (servers/argon2.mjs): the core's own rate
const measureArgon2 = async () => argon2Runs.push(await argon2Process.call('measure', { seconds: Math.min(SECONDS, 2) }));

// --- load: warm-up, then renkei, baseline, renkei, … --------------------------------------
const runs = {};
const poolSizeFor = (estimate, seconds) => Math.min(60_000, Math.ceil(Math.max(estimate ?? 0, 300) * seconds * 2) + 2 * CONNECTIONS);
for (const scenario of scenarios) {
  step(scenario.name);
  runs[scenario.key] = { renkei: [], baseline: [] };
  const estimate = {};
  for (const name of NAMES) {
    servers[name].tokens = await servers[name].process.call('mintTokens');
    const prepared = await scenario.prepare(servers[name], poolSizeFor(600, WARMUP_SECONDS));
    estimate[name] = (await runLoad(processes[name], { ...prepared, connections: CONNECTIONS, seconds: WARMUP_SECONDS })).rps;
  }
  for (let rep = 0; rep < REPS; rep++) {
    for (const name of NAMES) {
      const prepared = await scenario.prepare(servers[name], poolSizeFor(estimate[name], SECONDS));
      const result = await runLoad(processes[name], { ...prepared, connections: CONNECTIONS, seconds: SECONDS });
      estimate[name] = Math.max(estimate[name], result.rps);
      runs[scenario.key][name].push(result);
      if (result.failed) fail(`${scenario.name} on ${name}`, `${result.failed} failed requests`);
      if (result.poolExhausted) console.error(`note: ${scenario.name} on ${name} used up its pool before ${SECONDS} s`);
    }
  }
}
// each journey on renkei, on the bare flow, and on the bare flow with the journey's Argon2id hashes
// in its login (what oidc-provider used bare reaches against the same limit)
const JOURNEY_RUNS = [...NAMES, HASHED_BASELINE];
for (const journey of journeyScenarios) {
  step(journey.name);
  runs[journey.key] = Object.fromEntries(JOURNEY_RUNS.map((run) => [run, []]));
  for (let rep = 0; rep < REPS; rep++) {
    await measureArgon2();
    for (const run of JOURNEY_RUNS) {
      const name = run === HASHED_BASELINE ? 'baseline' : run;
      const server = servers[name];
      if (name === 'baseline') await processes.baseline.call('loginHashes', { count: run === HASHED_BASELINE ? journey.hashes : 0 });
      const result = await runJourneys(processes[name], {
        endpoints: server.endpoints, client: server.seed.client, workers: workers[name], seconds: SECONDS, browserFor: journey.browserFor,
      });
      runs[journey.key][run].push(result);
      if (result.failed) fail(`${journey.name} on ${run}`, `${result.failed} failed journeys (${result.firstError})`);
    }
  }
}

await argon2Process.stop();
const argon2 = {
  perSecond: median(argon2Runs.map((r) => r.perSecond)), cpuMicrosPerHash: median(argon2Runs.map((r) => r.cpuMicrosPerHash)), runs: argon2Runs,
};

// --- token endpoint latency at half the maximum rate ---------------------------------------
step('token endpoint at half the maximum rate');
const refreshMax = ONLY ? 0 : median(runs.refresh.renkei.map((r) => r.rps));
// requests evenly spaced (runSteadyLoad), REPS alternated runs per server, p99 over all their requests
const halfRate = {};
if (!ONLY) {
  const rate = Math.max(1, Math.floor(refreshMax / 2));
  const halfRateRuns = { renkei: [], baseline: [] };
  for (const name of NAMES) servers[name].tokens = await processes[name].call('mintTokens');
  // a warm-up run of each server first, as every other scenario has, printed but not counted: this step
  // follows the journeys, and the first requests back on the token endpoint stall as a freshly started
  // server's do (renkei's first run was its worst in every full run that printed each run's p99)
  const halfRateRun = async (name) => runSteadyLoad(processes[name], { ...(await scenarios[0].prepare(servers[name])), connections: CONNECTIONS, seconds: SECONDS, rate });
  const warmUps = {};
  for (const name of NAMES) warmUps[name] = await halfRateRun(name);
  for (let rep = 0; rep < REPS; rep++) {
    for (const name of NAMES) halfRateRuns[name].push(await halfRateRun(name));
  }
  for (const name of NAMES) {
    halfRate[name] = {
      rate, ...pooledLatencies(halfRateRuns[name]), rps: median(halfRateRuns[name].map((r) => r.rps)),
      // each run's own p99 and server CPU: a run that the machine disturbed shows in both servers' runs of its round
      runs: halfRateRuns[name].map(({ p99, cpuMicrosPerRequest }) => ({ p99, cpuMicrosPerRequest })),
      warmUp: { p99: warmUps[name].p99, failed: warmUps[name].failed },
    };
    const failed = halfRate[name].failed + warmUps[name].failed;
    if (failed) fail(`refresh at half rate on ${name}`, `${failed} failed requests`);
  }
}

for (const name of NAMES) await processes[name].stop();
redis.disconnect();
await redisServer.stop();

// --- report ---------------------------------------------------------------------------------
const rows = [];
for (const scenario of scenarios) {
  const renkei = summarise(runs[scenario.key].renkei);
  const baseline = summarise(runs[scenario.key].baseline);
  rows.push({
    key: scenario.key, name: scenario.name, renkei, baseline, ratio: renkei.rps / baseline.rps, cpuRatio: baseline.cpuMicrosPerRequest / renkei.cpuMicrosPerRequest,
    commands: { renkei: commands.renkei[scenario.key].count, baseline: commands.baseline[scenario.key].count },
    roundTrips: { renkei: commands.renkei[scenario.key].roundTrips, baseline: commands.baseline[scenario.key].roundTrips },
  });
}
const argon2Limit = {};
for (const journey of journeyScenarios) {
  const renkei = summarise(runs[journey.key].renkei);
  const baseline = summarise(runs[journey.key].baseline);
  const baselineWithHashes = summarise(runs[journey.key][HASHED_BASELINE]);
  argon2Limit[journey.key] = argon2.perSecond / journey.hashes;
  rows.push({
    key: journey.key, name: journey.name, vsArgon2: true, renkei, baseline, ratio: renkei.rps / argon2Limit[journey.key],
    hashes: journey.hashes, baselineWithHashes, baselineWithHashesRatio: baselineWithHashes.rps / argon2Limit[journey.key],
    commands: { renkei: commands.renkei[journey.key].count, baseline: commands.baseline[journey.key].count },
    roundTrips: { renkei: commands.renkei[journey.key].roundTrips, baseline: commands.baseline[journey.key].roundTrips },
  });
}

const goals = ONLY ? [] : evaluateGoals({ rows, argon2Limit, bytes, halfRate, refreshes: REFRESHES });

const totalSeconds = (performance.now() - startedAt) / 1000;
const loadAfter = loadavg();
const share = (value) => (value === undefined ? '–' : (value * 100).toFixed(0));
const loadRows = rows.filter((r) => !r.vsArgon2);
// above this, the machine's own speed moved between one server's runs by more than the 0.15 a ratio goal leaves
const DRIFT_LIMIT = 0.2;
const rpsSpread = (results) => spread(results.map((r) => r.rps));
const spreads = loadRows.map((r) => ({ key: r.key, renkei: rpsSpread(runs[r.key].renkei), baseline: rpsSpread(runs[r.key].baseline) }));
// a journey's ratio moves with renkei's journeys a second and with the Argon2id rate it is divided by
const argon2Spread = spread(argon2Runs.map((r) => r.perSecond));
const journeySpreads = rows.filter((r) => r.vsArgon2).map((r) => ({ key: r.key, renkei: rpsSpread(runs[r.key].renkei), baseline: argon2Spread }));
const drifted = [...spreads, ...journeySpreads].filter((s) => Math.max(s.renkei ?? 0, s.baseline ?? 0) > DRIFT_LIMIT).map((s) => s.key);
const driverPeak = Math.max(...loadRows.flatMap((r) => [r.renkei.driverCoreShare, r.baseline.driverCoreShare]));
const outsideHashes = (journey) => {
  const { cpuMicrosPerRequest, eventLoopMicrosPerRequest } = summarise(runs[journey.key].renkei);
  const ms = (cpuMicrosPerRequest - journey.hashes * argon2.cpuMicrosPerHash) / 1000;
  const threads = eventLoopMicrosPerRequest === undefined ? ''
    : ` (event loop ${(eventLoopMicrosPerRequest / 1000).toFixed(1)} ms, other threads ${((cpuMicrosPerRequest - eventLoopMicrosPerRequest) / 1000 / journey.hashes).toFixed(1)} ms a hash)`;
  return `${ms >= 1 ? `≈ ${ms.toFixed(1)} ms` : 'within the noise'}${threads}`;
};
const setup = `${REPS} alternated runs of ${SECONDS} s per scenario (medians), ${CONNECTIONS} connections, ${JOURNEY_WORKERS} journey workers, ` +
  `Node ${process.version}, ${pinned ? 'servers pinned to core 1, load generator and Redis to core 0' : 'not pinned'}`;
const findings = [
  journeyScenarios.length > 0 &&
  `Argon2id with renkei's parameters on the servers' core: ${argon2.perSecond.toFixed(1)} hashes/s, ${(argon2.cpuMicrosPerHash / 1000).toFixed(1)} ms of CPU a hash; ` +
    `renkei's CPU per journey outside the hashes: ${journeyScenarios.map((j) => `${j.name} ${outsideHashes(j)}`).join(', ')}.`,
  journeyScenarios.length > 0 &&
  `The bare flow with the same Argon2id hashes in its login (node:crypto's async argon2 on libuv's pool): ` +
    `${rows.filter((r) => r.vsArgon2).map((r) => `${r.name} (${r.hashes} ${r.hashes > 1 ? 'hashes' : 'hash'}) ${r.baselineWithHashes.rps.toFixed(1)}/s = ` +
      `${r.baselineWithHashesRatio.toFixed(2)} of the Argon2id limit, ${(r.baselineWithHashes.cpuMicrosPerRequest / 1000).toFixed(1)} ms of CPU a journey; ` +
      `renkei ÷ that ${(r.renkei.rps / r.baselineWithHashes.rps).toFixed(2)}`).join('; ')}.`,
  loadRows.length > 0 &&
  `Share of its core each server used, renkei/baseline % (well below 100: the server was not the limit, the machine was busy): ` +
    `${loadRows.map((r) => `${r.key} ${share(r.renkei.serverCoreShare)}/${share(r.baseline.serverCoreShare)}`).join(', ')}; load generator at most ${share(driverPeak)} %.`,
  rows.length > 0 && REPS > 1 &&
  `Spread of each server's req/s over its ${REPS} runs (fastest ÷ slowest − 1), renkei/baseline %: ` +
    `${spreads.map((s) => `${s.key} ${share(s.renkei)}/${share(s.baseline)}`).join(', ')}` +
    (journeySpreads.length ? `${spreads.length ? '; ' : ''}journeys, renkei/the Argon2id rate %: ${journeySpreads.map((s) => `${s.key} ${share(s.renkei)}/${share(s.baseline)}`).join(', ')}` : '') +
    (drifted.length
      ? `; over ${share(DRIFT_LIMIT)} % (${drifted.join(', ')}) the machine's speed moved between runs by more than the 0.15 a ratio goal leaves, so that ratio can pass or miss by chance: ` +
        'more runs (BENCH_REPS) or CPU per request paired run by run (node bench/compare-builds.mjs baseline) resolve it.'
      : '.'),
  `Redis commands sent while idle: ${background.perSecond.toFixed(1)} a second${background.kinds.size ? ` (${[...background.kinds].join(', ')}; not counted per request)` : ''}.`,
  MEASURE_BYTES &&
  `Redis bytes per journey: renkei ${kib(bytes.renkei.perJourney)}, baseline ${kib(bytes.baseline.perJourney)}; ` +
    `per active grant: renkei ${kib(bytes.renkei.grantAfterOneRefresh)}, baseline ${kib(bytes.baseline.grantAfterOneRefresh)}.`,
].filter(Boolean);
console.log(`\nrenkei vs bare oidc-provider: ${setup}; load average ${loadBefore[0].toFixed(2)} before, ${loadAfter[0].toFixed(2)} after\n`);
printTable(rows);
console.log(`\n${findings.join('\n')}\n`);
printGoals(goals);
console.log(`\ntotal time ${totalSeconds.toFixed(0)} s; results in bench/results/${ONLY ? 'partial' : 'latest'}.json (and as Markdown in ${ONLY ? 'partial' : 'latest'}.md)`);

writeFileSync(RESULTS_FILE, JSON.stringify({
  date: new Date().toISOString(),
  node: process.version,
  settings: { seconds: SECONDS, reps: REPS, warmupSeconds: WARMUP_SECONDS, connections: CONNECTIONS, journeyWorkers: JOURNEY_WORKERS, bytesJourneys: BYTES_JOURNEYS, refreshes: REFRESHES },
  machine: { cpus: availableParallelism(), pinned, loadAverageBefore: loadBefore, loadAverageAfter: loadAfter },
  argon2,
  rows,
  runs,
  commands,
  bytes,
  halfRate,
  findings,
  goals,
  failures,
  totalSeconds,
}, null, 2) + '\n');

const busy = loadBefore[0] > 0.5 ? `measured while the machine was busy (load average ${loadBefore[0].toFixed(1)} before, ${loadAfter[0].toFixed(1)} after)` : '';
writeFileSync(MARKDOWN_FILE, markdownReport({ rows, goals, findings, date: new Date().toISOString().slice(0, 10), setup: [setup, busy].filter(Boolean).join('; ') }));

process.exit(errored ? 1 : 0);
