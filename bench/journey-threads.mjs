// Where a journey's CPU goes, by thread: renkei pinned to one core with 8 journey workers, the
// event loop's CPU per journey (the main thread) apart from everything else (libuv's pool, where
// Argon2id runs, and V8's helper threads), from /proc/<pid>/task/*/stat. With FAST_HASHING=1 the
// customers' secrets are hashed with the test suite's Argon2id parameters, so the same journeys
// run with no 19 MiB hash beside them: the difference is what sharing one core with the hashes
// costs the event loop. Not part of `npm run bench`.
//   node bench/journey-threads.mjs [known,new]     env: SECONDS (4), REPS (3), WORKERS (8), FAST_HASHING
import { freePort } from '../test/support/redis-server.mjs';
import { FapiPartner } from './driver/fapi.mjs';
import { Browser, runJourneys, walkJourney } from './driver/journey.mjs';
import { ServerProcess, startRedisBesideDriver } from './driver/processes.mjs';
import { discover } from './driver/scenarios.mjs';

const only = new Set((process.argv[2] ?? 'known,new').split(','));
const SECONDS = Number(process.env.SECONDS ?? 4);
const REPS = Number(process.env.REPS ?? 3);

const redisServer = await startRedisBesideDriver();
const fapi = await FapiPartner.generate();
const server = await ServerProcess.start(new URL('./servers/renkei.mjs', import.meta.url).pathname, {
  env: {
    BENCH_SERVER: JSON.stringify({ redisUrl: redisServer.url, port: await freePort(), fapiJwk: fapi.publicJwk }),
    BENCH_TEST_FAST_HASHING: process.env.FAST_HASHING === '1' ? '1' : '0',
  },
  core: 1,
});
const seed = await server.call('seed');
const endpoints = await discover(server.issuer);
const workers = (await server.call('customers', { count: Number(process.env.WORKERS ?? 8) })).map((customer) => ({ customer, browser: new Browser(server.issuer) }));
await Promise.all(workers.map((w) => walkJourney({ browser: w.browser, endpoints, client: seed.client, customer: w.customer })));

const journeys = [
  { key: 'known', browserFor: (w) => w.browser },
  { key: 'new', browserFor: (w) => new Browser(w.browser.origin) },
].filter((j) => only.has(j.key));
console.log(`Argon2id: ${process.env.FAST_HASHING === '1' ? "the test suite's parameters (no real hash beside the journeys)" : "renkei's parameters"}`);
for (const journey of journeys) {
  for (let rep = 0; rep < REPS; rep++) {
    const result = await runJourneys(server, { endpoints, client: seed.client, workers, seconds: SECONDS, browserFor: journey.browserFor });
    const ms = (micros) => (micros / 1000).toFixed(2);
    console.log(`${journey.key.padEnd(6)} ${result.rps.toFixed(1).padStart(6)}/s  event loop ${ms(result.eventLoopMicrosPerRequest)} ms a journey, ` +
      `other threads ${ms(result.cpuMicrosPerRequest - result.eventLoopMicrosPerRequest)} ms, ` +
      `event loop switched out ${result.eventLoopSwitchesPerRequest?.toFixed(1)} times a journey${result.failed ? `  FAILED ${result.failed}: ${result.firstError}` : ''}`);
  }
}
await server.stop();
await redisServer.stop();
process.exit(0);
