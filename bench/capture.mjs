// node bench/capture.mjs [server …]: the exact Redis commands (with their keys) one request of each
// token/resource scenario sends, and CPU µs per request over a short load run (BENCH_CAPTURE_SECONDS,
// 0 to skip), for renkei (and the baseline when named). A tool for finding where round trips come
// from; `npm run bench` is the measurement.
import { Redis } from 'ioredis';
import { startRedisServer } from '../test/support/redis-server.mjs';
import { SERVER_SCRIPTS, startBenchServer } from './driver/bench-servers.mjs';
import { FapiPartner } from './driver/fapi.mjs';
import { runLoad } from './driver/load.mjs';
import { idleCommands, keyPattern } from './driver/redis-probe.mjs';
import { sendOnce, tokenScenarios } from './driver/scenarios.mjs';
import { setTimeout as sleep } from 'node:timers/promises';

const names = process.argv.slice(2).length ? process.argv.slice(2) : ['renkei'];
const SECONDS = Number(process.env.BENCH_CAPTURE_SECONDS ?? 3);
const only = process.env.BENCH_CAPTURE_ONLY?.split(',');
const redisServer = await startRedisServer();
const children = [redisServer.process];
process.on('exit', () => children.forEach((child) => child.kill('SIGKILL')));
const fapi = await FapiPartner.generate();
const servers = {};
for (const name of names) {
  // BENCH_CAPTURE_PROFILE=<dir>: a CPU profile of each server (written when it exits)
  const env = process.env.BENCH_CAPTURE_PROFILE ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${process.env.BENCH_CAPTURE_PROFILE}` } : {};
  const server = await startBenchServer(name, SERVER_SCRIPTS[name], { redisUrl: redisServer.url, fapi, clientSecret: true, env });
  children.push(server.process.child);
  servers[name] = { ...server, tokens: await server.process.call('mintTokens') };
}
const scenarios = tokenScenarios(fapi).filter((s) => s.key !== 'discovery' && s.key !== 'jwks' && (!only || only.includes(s.key)));
for (const scenario of scenarios) for (const name of names) await sendOnce(await scenario.prepare(servers[name], 1));
const background = await idleCommands(redisServer.url, 1);

async function capture(action) {
  const client = new Redis(redisServer.url);
  const monitor = await client.monitor();
  const lines = [];
  monitor.on('monitor', (_time, args, source) => {
    const signature = `${String(args[0]).toUpperCase()} ${args[1] === undefined ? '' : keyPattern(String(args[1]))}`;
    if (background.kinds.has(signature) && source !== 'lua') return;
    const shown = args.slice(0, 8).map((a) => { const s = String(a); return s.length > 60 ? `${s.slice(0, 57)}…` : s; });
    lines.push(`${source === 'lua' ? '    lua ' : ''}${shown.join(' ')}`);
  });
  await sleep(50);
  const result = await action();
  await sleep(150);
  monitor.disconnect();
  client.disconnect();
  return { lines, result };
}

for (const name of names) {
  const server = servers[name];
  for (const scenario of scenarios) {
    const prepared = await scenario.prepare(server, 1);
    const { lines, result } = await capture(() => sendOnce(prepared));
    const count = lines.filter((l) => !l.startsWith('    lua')).length;
    console.log(`\n## ${name} ${scenario.key}: ${count} commands (status ${result.status})`);
    for (const line of lines) console.log(line);
  }
}
if (SECONDS > 0) {
  console.log('\n| scenario | ' + names.map((n) => `${n} CPU µs/req`).join(' | ') + ' |');
  for (const scenario of scenarios) {
    const cells = [];
    for (const name of names) {
      const server = servers[name];
      server.tokens = await server.process.call('mintTokens');
      const samples = [];
      for (let rep = 0; rep < 3; rep++) {
        const prepared = await scenario.prepare(server, 3000);
        const run = await runLoad(server.process, { ...prepared, connections: 10, seconds: SECONDS });
        samples.push(run.cpuMicrosPerRequest);
      }
      samples.sort((a, b) => a - b);
      cells.push(`${samples[1].toFixed(0)} (${samples.map((s) => s.toFixed(0)).join(', ')})`);
    }
    console.log(`| ${scenario.key} | ${cells.join(' | ')} |`);
  }
}
for (const name of names) {
  const { child } = servers[name].process;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.disconnect(); // the server exits by itself, writing its profile
  await Promise.race([exited, sleep(5000)]);
  await servers[name].process.stop();
}
await redisServer.stop();
process.exit(0);
