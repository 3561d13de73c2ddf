// The Redis commands of one customer journey, request by request (MONITOR): what each screen asks
// of Redis. Not part of `npm run bench`.
//   node bench/journey-trace.mjs [known|new]
import { fork } from 'node:child_process';
import { openSync } from 'node:fs';
import { Redis } from 'ioredis';
import { freePort, startRedisServer } from '../test/support/redis-server.mjs';
import { FapiPartner } from './driver/fapi.mjs';
import { Browser, walkJourney } from './driver/journey.mjs';
import { ServerProcess } from './driver/processes.mjs';
import { keyPattern } from './driver/redis-probe.mjs';
import { discover } from './driver/scenarios.mjs';

const which = process.argv[2] ?? 'known';
const redisServer = await startRedisServer();
const fapi = await FapiPartner.generate();
const child = fork(new URL('./servers/renkei.mjs', import.meta.url).pathname, [], {
  env: { ...process.env, BENCH_SERVER: JSON.stringify({ redisUrl: redisServer.url, port: await freePort(), fapiJwk: fapi.publicJwk }) },
  stdio: ['ignore', openSync('/dev/null', 'w'), 'inherit', 'ipc'],
});
const ready = await new Promise((resolve) => child.on('message', (m) => m?.ready && resolve(m)));
const renkei = new ServerProcess(child, ready, false);
const seed = await renkei.call('seed');
const endpoints = await discover(renkei.issuer);
const browser = new Browser(renkei.issuer);
for (let i = 0; i < 2; i++) await walkJourney({ browser, endpoints, client: seed.client, customer: seed.customer });

const events = [];
const client = new Redis(redisServer.url);
const monitor = await client.monitor();
monitor.on('monitor', (time, args, source) => {
  if (source === 'lua') return;
  events.push({ at: Number(time) * 1000, text: `  ${String(args[0]).toUpperCase()} ${args[1] === undefined ? '' : keyPattern(String(args[1]))}${source.includes('lua') ? ' (lua)' : ''}` });
});
await new Promise((r) => setTimeout(r, 100));
const traced = which === 'known' ? browser : Object.assign(new Browser(renkei.issuer), {});
const request = traced.request.bind(traced);
traced.request = async (url, init = {}) => {
  events.push({ at: Date.now() + performance.now() % 1, text: `${init.method ?? 'GET'} ${String(url).replace(renkei.issuer, '').replace(/\?.*/, '')}` });
  return request(url, init);
};
const realFetch = globalThis.fetch;
globalThis.fetch = async (url, init) => {
  if (String(url) === endpoints.token) events.push({ at: Date.now(), text: 'POST /token' });
  return realFetch(url, init);
};
await walkJourney({ browser: traced, endpoints, client: seed.client, customer: seed.customer });
await new Promise((r) => setTimeout(r, 300));
monitor.disconnect();
client.disconnect();
events.sort((a, b) => a.at - b.at);
let count = 0;
for (const e of events) {
  if (e.text.startsWith('  ')) count++;
  console.log(e.text);
}
console.log(`${count} commands`);
await renkei.stop();
await redisServer.stop();
process.exit(0);
