// Per-request fixed costs, quickly: renkei and the baseline (optionally both under --cpu-prof) on one
// Redis, a few scenarios alternated, CPU µs per request from /proc (each run's, and the medians split by
// thread: event loop, libuv's pool, V8's helpers, other). Not part of `npm run bench`.
//   node bench/fixed-costs.mjs [discovery,jwks,userinfo,introspection]
// env: SECONDS (2), REPS (3), RATE (a fixed request rate), PROFILE_DIR (both servers under --cpu-prof, profiles there)
import { SERVER_SCRIPTS, startBenchServer } from './driver/bench-servers.mjs';
import { FapiPartner } from './driver/fapi.mjs';
import { runLoad } from './driver/load.mjs';
import { runSteadyLoad } from './driver/steady-load.mjs';
import { cpuMicrosByThreadKind, startRedisBesideDriver } from './driver/processes.mjs';
import { tokenScenarios } from './driver/scenarios.mjs';

const only = new Set((process.argv[2] ?? 'discovery,jwks,userinfo,introspection').split(','));
const SECONDS = Number(process.env.SECONDS ?? 2);
const REPS = Number(process.env.REPS ?? 3);
const PROFILE_DIR = process.env.PROFILE_DIR;
// a fixed request rate, requests evenly spaced (runSteadyLoad), makes CPU per request comparable between servers and runs
// (a busy machine changes req/s, hence batching)
const RATE = process.env.RATE ? Number(process.env.RATE) : undefined;

const redisServer = await startRedisBesideDriver();
const fapi = await FapiPartner.generate();
const profiled = (dir) => ['--import', '/tmp/heap-sample.mjs'];
const servers = {
  renkei: await startBenchServer('renkei', SERVER_SCRIPTS.renkei, { redisUrl: redisServer.url, fapi, core: 1, execArgv: profiled(PROFILE_DIR) }),
  baseline: await startBenchServer('baseline', SERVER_SCRIPTS.baseline, { redisUrl: redisServer.url, fapi, clientSecret: true, core: 1, execArgv: profiled(`${PROFILE_DIR}/baseline`) }),
};
const processes = { renkei: servers.renkei.process, baseline: servers.baseline.process };
const served = { renkei: 0, baseline: 0 };
const load = async (name, options) => {
  const before = cpuMicrosByThreadKind(processes[name].pid);
  const result = await (options.rate ? runSteadyLoad : runLoad)(processes[name], options);
  const after = cpuMicrosByThreadKind(processes[name].pid);
  served[name] += result.requests;
  const byThread = before && after ? Object.fromEntries(Object.keys(after).map((kind) => [kind, (after[kind] - before[kind]) / result.requests])) : undefined;
  return { ...result, byThread };
};
// where a server's CPU per request went, over the runs: event loop, libuv's pool, V8's helpers, other threads
const threadSplit = (runs) => Object.entries(runs[0].byThread ?? {}).map(([kind]) => `${kind} ${median(runs.map((r) => r.byThread[kind])).toFixed(0)}`).join(', ');
// pooled scenarios (codes) use each item once: enough for a run at full load or at RATE
const poolSize = (seconds) => Math.ceil(seconds * (RATE ?? 2500)) + 100;
const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
for (const scenario of tokenScenarios(fapi).filter((s) => only.has(s.key))) {
  const results = { renkei: [], baseline: [] };
  // fresh tokens per scenario (as run.mjs): refreshes and code exchanges push earlier access tokens out of their grant's live cap
  for (const name of ['renkei', 'baseline']) servers[name].tokens = await servers[name].process.call('mintTokens');
  for (const name of ['renkei', 'baseline']) await load(name, { ...(await scenario.prepare(servers[name], poolSize(1))), connections: 20, seconds: 1 });
  for (let rep = 0; rep < REPS; rep++) {
    for (const name of ['renkei', 'baseline']) results[name].push(await load(name, { ...(await scenario.prepare(servers[name], poolSize(SECONDS))), connections: 20, seconds: SECONDS, rate: RATE }));
  }
  const [r, b] = ['renkei', 'baseline'].map((name) => ({ rps: median(results[name].map((x) => x.rps)), cpu: median(results[name].map((x) => x.cpuMicrosPerRequest)), failed: results[name].reduce((s, x) => s + x.failed, 0) }));
  console.log(`${scenario.key.padEnd(14)} renkei ${r.cpu.toFixed(0).padStart(5)} µs ${r.rps.toFixed(0).padStart(5)}/s | baseline ${b.cpu.toFixed(0).padStart(5)} µs ${b.rps.toFixed(0).padStart(5)}/s | cpu ratio ${(b.cpu / r.cpu).toFixed(2)} rps ratio ${(r.rps / b.rps).toFixed(2)}${r.failed + b.failed ? ` FAILED ${r.failed}/${b.failed}` : ''}`);
  console.log(`${''.padEnd(14)} each run, µs: renkei ${results.renkei.map((x) => x.cpuMicrosPerRequest.toFixed(0)).join(' ')} | baseline ${results.baseline.map((x) => x.cpuMicrosPerRequest.toFixed(0)).join(' ')}`);
  console.log(`${''.padEnd(14)} by thread, µs: renkei ${threadSplit(results.renkei)} | baseline ${threadSplit(results.baseline)}`);
}
console.log(`requests served: renkei ${served.renkei}, baseline ${served.baseline}`);
// disconnecting lets the server exit normally, so that --cpu-prof writes its profile
for (const p of Object.values(processes)) {
  const exited = new Promise((resolve) => p.child.once('exit', resolve));
  p.child.disconnect();
  await exited;
}
await redisServer.stop();
process.exit(0);
