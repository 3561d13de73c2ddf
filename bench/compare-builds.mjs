// Two builds of renkei side by side, for before/after on a busy machine: both on core 1, many short
// runs alternated A B A B, CPU µs per request from /proc, the median of the paired ratios (a pair's
// runs are seconds apart, so the machine's drift cancels). Not part of `npm run bench`.
//   node bench/compare-builds.mjs OTHER_CHECKOUT [refresh,code,introspection,userinfo]
// OTHER_CHECKOUT: another checkout, built (`npm run build`), or `baseline` for the bench's bare
// oidc-provider (then "other/this" is the bench's renkei ÷ baseline ratio); env: SECONDS (1.5), PAIRS (12),
// RATE (requests evenly spaced at that rate, as the half-rate step sends them, instead of full load)
import { SERVER_SCRIPTS, startBenchServer } from './driver/bench-servers.mjs';
import { FapiPartner } from './driver/fapi.mjs';
import { runLoad } from './driver/load.mjs';
import { runSteadyLoad } from './driver/steady-load.mjs';
import { startRedisBesideDriver } from './driver/processes.mjs';
import { median, quantile } from './driver/report.mjs';
import { tokenScenarios } from './driver/scenarios.mjs';

const [other, scenarioList = 'refresh,code,introspection,userinfo'] = process.argv.slice(2);
if (!other) throw new Error('usage: node bench/compare-builds.mjs OTHER_CHECKOUT [scenarios]');
const only = new Set(scenarioList.split(','));
const SECONDS = Number(process.env.SECONDS ?? 1.5);
const PAIRS = Number(process.env.PAIRS ?? 12);
const RATE = process.env.RATE ? Number(process.env.RATE) : undefined;

const redisServer = await startRedisBesideDriver();
const fapi = await FapiPartner.generate();
const againstBaseline = other === 'baseline';
const builds = { this: SERVER_SCRIPTS.renkei, other: againstBaseline ? SERVER_SCRIPTS.baseline : `${other.replace(/\/$/, '')}/bench/servers/renkei.mjs` };
const servers = {};
for (const [name, script] of Object.entries(builds)) {
  servers[name] = await startBenchServer(name, script, { redisUrl: redisServer.url, fapi, core: 1, clientSecret: againstBaseline && name === 'other' });
}
const poolSize = Math.ceil(SECONDS * 2500) + 100;
for (const scenario of tokenScenarios(fapi).filter((s) => only.has(s.key))) {
  const cpu = { this: [], other: [] };
  for (const server of Object.values(servers)) {
    server.tokens = await server.process.call('mintTokens');
    await runLoad(server.process, { ...(await scenario.prepare(server, poolSize)), connections: 20, seconds: 1 });
  }
  for (let pair = 0; pair < PAIRS; pair++) {
    // which build goes first alternates, so that neither always follows the other
    for (const name of pair % 2 ? ['other', 'this'] : ['this', 'other']) {
      const result = await (RATE ? runSteadyLoad : runLoad)(servers[name].process, { ...(await scenario.prepare(servers[name], poolSize)), connections: 20, seconds: SECONDS, rate: RATE });
      cpu[name].push(result.cpuMicrosPerRequest);
    }
  }
  const ratios = cpu.this.map((value, i) => cpu.other[i] / value).sort((a, b) => a - b);
  console.log(`${scenario.key.padEnd(14)} CPU µs per request this ${median(cpu.this).toFixed(0)}, other ${median(cpu.other).toFixed(0)}; other/this paired median ${median(ratios).toFixed(3)} (quartiles ${quantile(ratios, 0.25).toFixed(3)}–${quantile(ratios, 0.75).toFixed(3)})`);
}
for (const { process: child } of Object.values(servers)) await child.stop();
await redisServer.stop();
process.exit(0);
