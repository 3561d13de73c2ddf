// renkei's CPU per customer journey, quickly: renkei alone (optionally under --cpu-prof) on its own
// Redis, known and new browser journeys alternated, CPU µs per journey from /proc and the Argon2id
// cost on the same core, hence the CPU outside the hashes. Not part of `npm run bench`.
//   node bench/journey-cpu.mjs [journey_known,journey_new]
// env: SECONDS (3), REPS (3), WORKERS (8), PROFILE_DIR (renkei under --cpu-prof; prints its busiest
// functions, self time per journey), COMPARE_WITH (another checkout's bench/servers/renkei.mjs, built:
// both servers on the same core, runs alternated, for before/after on a busy machine; COMPARE_EXEC_ARGV: node options for
// that one, e.g. the same build with a runtime option), BENCH_TEST_FAST_HASHING=1
// (both servers hash with the test suite's Argon2id parameters: the event loop's own cost, no hash beside it)
import { freePort } from '../test/support/redis-server.mjs';
import { FapiPartner } from './driver/fapi.mjs';
import { Browser, runJourneys, walkJourney } from './driver/journey.mjs';
import { ServerProcess, startRedisBesideDriver } from './driver/processes.mjs';
import { newestProfile, selfTimeByFunction } from './driver/profile.mjs';
import { discover } from './driver/scenarios.mjs';

const only = new Set((process.argv[2] ?? 'journey_known,journey_new').split(','));
const SECONDS = Number(process.env.SECONDS ?? 3);
const REPS = Number(process.env.REPS ?? 3);
const WORKERS = Number(process.env.WORKERS ?? 8);
const PROFILE_DIR = process.env.PROFILE_DIR;

const start = (script, env, execArgv) =>
  ServerProcess.start(new URL(script, import.meta.url).pathname, { env, execArgv, core: 1 });

const redisServer = await startRedisBesideDriver();
const fapi = await FapiPartner.generate();
async function startRenkei(script, execArgv) {
  const server = await start(script, {
    BENCH_SERVER: JSON.stringify({ redisUrl: redisServer.url, port: await freePort(), fapiJwk: fapi.publicJwk }),
  }, execArgv);
  const seed = await server.call('seed');
  const endpoints = await discover(server.issuer);
  const workers = (await server.call('customers', { count: WORKERS })).map((customer) => ({ customer, browser: new Browser(server.issuer) }));
  await Promise.all(workers.map((w) => walkJourney({ browser: w.browser, endpoints, client: seed.client, customer: w.customer })));
  return { server, seed, endpoints, workers };
}
const servers = { this: await startRenkei('./servers/renkei.mjs', PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : []) };
if (process.env.COMPARE_WITH) servers.other = await startRenkei(process.env.COMPARE_WITH, process.env.COMPARE_EXEC_ARGV?.split(' ').filter(Boolean) ?? []);

const argon2 = await start('./servers/argon2.mjs', {}, []);
const hashCpu = [];
const journeys = [
  { key: 'journey_known', hashes: 1, browserFor: (w) => w.browser },
  { key: 'journey_new', hashes: 2, browserFor: (w) => new Browser(w.browser.origin) },
].filter((j) => only.has(j.key));
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const results = Object.fromEntries(Object.keys(servers).map((name) => [name, Object.fromEntries(journeys.map((j) => [j.key, []]))]));
let walked = 0;
const run = async (name, journey, seconds) => {
  const { server, seed, endpoints, workers } = servers[name];
  return runJourneys(server, { endpoints, client: seed.client, workers, seconds, browserFor: journey.browserFor });
};
for (const name of Object.keys(servers)) for (const journey of journeys) await run(name, journey, 1);
for (let rep = 0; rep < REPS; rep++) {
  hashCpu.push((await argon2.call('measure', { seconds: 1 })).cpuMicrosPerHash);
  for (const journey of journeys) {
    for (const name of Object.keys(servers)) {
      const result = await run(name, journey, SECONDS);
      if (result.failed) console.error(`${name} ${journey.key}: ${result.failed} failed (${result.firstError})`);
      if (name === 'this') walked += result.requests;
      results[name][journey.key].push(result);
    }
  }
}
const perHash = median(hashCpu);
console.log(`Argon2id ${(perHash / 1000).toFixed(1)} ms CPU a hash`);
for (const name of Object.keys(servers)) {
  for (const journey of journeys) {
    const runs = results[name][journey.key];
    const cpu = median(runs.map((r) => r.cpuMicrosPerRequest));
    const rps = median(runs.map((r) => r.rps));
    const loop = median(runs.map((r) => r.eventLoopMicrosPerRequest));
    console.log(`${name === 'this' ? 'this ' : 'other'} ${journey.key.padEnd(14)} ${(cpu / 1000).toFixed(1)} ms CPU a journey, ${((cpu - journey.hashes * perHash) / 1000).toFixed(1)} ms outside the hashes, ` +
      `event loop ${(loop / 1000).toFixed(2)} ms (switched out ${median(runs.map((r) => r.eventLoopSwitchesPerRequest)).toFixed(1)} times), ${rps.toFixed(1)}/s ` +
      `(runs: ${runs.map((r) => (r.cpuMicrosPerRequest / 1000).toFixed(1)).join(' ')} ms; event loop ${runs.map((r) => (r.eventLoopMicrosPerRequest / 1000).toFixed(2)).join(' ')} ms)`);
  }
}
if (servers.other) await servers.other.server.stop();
const renkei = servers.this.server;
await argon2.stop();
const exited = new Promise((resolve) => renkei.child.once('exit', resolve));
renkei.child.disconnect();
await exited;
await redisServer.stop();

if (PROFILE_DIR) {
  const file = newestProfile(PROFILE_DIR);
  const micros = selfTimeByFunction(file);
  const total = [...micros.values()].reduce((a, b) => a + b, 0);
  console.log(`${file}: busy ${(total / walked / 1000).toFixed(2)} ms a journey over ${walked} measured journeys (start-up and warm-up included)`);
  for (const [key, us] of [...micros].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.ROWS ?? 50))) {
    console.log(`${(us / walked).toFixed(0).padStart(6)} µs  ${key}`);
  }
}
process.exit(0);
