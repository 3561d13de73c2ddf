// System calls per request, counted (strace -c on the server while a fixed-rate load runs): a
// measure that a noisy machine does not blur, to weigh changes that save writes or wake-ups.
// Not part of `npm run bench`; needs strace.
//   node bench/syscalls.mjs [refresh,code,introspection,userinfo] [renkei,baseline]
// env: SECONDS (3), RATE (400)
import { spawn } from 'node:child_process';
import { startRedisServer } from '../test/support/redis-server.mjs';
import { SERVER_SCRIPTS, startBenchServer } from './driver/bench-servers.mjs';
import { FapiPartner } from './driver/fapi.mjs';
import { runLoad } from './driver/load.mjs';
import { tokenScenarios } from './driver/scenarios.mjs';

const only = new Set((process.argv[2] ?? 'refresh,code,introspection,userinfo').split(','));
const names = (process.argv[3] ?? 'renkei,baseline').split(',');
const SECONDS = Number(process.env.SECONDS ?? 3);
const RATE = Number(process.env.RATE ?? 400);

const redisServer = await startRedisServer();
const fapi = await FapiPartner.generate();
const servers = {};
for (const name of names) {
  servers[name] = await startBenchServer(name, SERVER_SCRIPTS[name], { redisUrl: redisServer.url, fapi, clientSecret: name === 'baseline' });
}

const counted = async (pid, run) => {
  const strace = spawn('strace', ['-f', '-c', '-p', String(pid)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let report = '';
  strace.stderr.on('data', (chunk) => (report += chunk));
  await new Promise((resolve) => setTimeout(resolve, 500));
  const result = await run();
  const ended = new Promise((resolve) => strace.once('exit', resolve));
  strace.kill('SIGINT');
  await ended;
  const calls = {};
  for (const line of report.split('\n')) {
    const cells = line.trim().split(/\s+/);
    if (cells.length >= 5 && /^\d+$/.test(cells[3])) calls[cells.at(-1)] = Number(cells[3]);
  }
  return { result, calls };
};

for (const scenario of tokenScenarios(fapi).filter((s) => only.has(s.key))) {
  for (const name of names) {
    const server = servers[name];
    server.tokens = await server.process.call('mintTokens');
    await runLoad(server.process, { ...(await scenario.prepare(server, RATE + 100)), connections: 10, seconds: 1, overallRate: RATE });
    const prepared = await scenario.prepare(server, RATE * SECONDS + 100);
    const { result, calls } = await counted(server.process.pid, () => runLoad(server.process, { ...prepared, connections: 10, seconds: SECONDS, overallRate: RATE }));
    const per = (call) => ((calls[call] ?? 0) / result.requests).toFixed(2);
    console.log(`${scenario.key.padEnd(14)} ${name.padEnd(8)} ${result.requests} requests; per request: write ${per('write')}, writev ${per('writev')}, read ${per('read')}, epoll_pwait ${per('epoll_pwait')}, futex ${per('futex')}`);
  }
}
for (const { process: child } of Object.values(servers)) await child.stop();
await redisServer.stop();
process.exit(0);
