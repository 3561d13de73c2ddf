// renkei's CPU per request of the customer journey, by step: sequential journeys (one at a time,
// renkei pinned to core 1), each request's CPU time from /proc/<pid>/task/*/schedstat (ns), all
// threads (Argon2id runs on libuv's pool).
// Not part of `npm run bench`.
//   node bench/journey-steps.mjs [known|new] [JOURNEYS]
import { readdirSync, readFileSync } from 'node:fs';
import { freePort } from '../test/support/redis-server.mjs';
import { FapiPartner } from './driver/fapi.mjs';
import { Browser, walkJourney } from './driver/journey.mjs';
import { ServerProcess, startRedisBesideDriver } from './driver/processes.mjs';
import { discover } from './driver/scenarios.mjs';

const which = process.argv[2] ?? 'known';
const JOURNEYS = Number(process.argv[3] ?? 200);
const redisServer = await startRedisBesideDriver();
const fapi = await FapiPartner.generate();
const renkei = await ServerProcess.start(new URL('./servers/renkei.mjs', import.meta.url).pathname, {
  env: { BENCH_SERVER: JSON.stringify({ redisUrl: redisServer.url, port: await freePort(), fapiJwk: fapi.publicJwk }) },
  core: 1,
  execArgv: [],
});
const { child } = renkei;

const seed = await renkei.call('seed');
const endpoints = await discover(renkei.issuer);
const known = new Browser(renkei.issuer);
for (let i = 0; i < 3; i++) await walkJourney({ browser: known, endpoints, client: seed.client, customer: seed.customer });

/** CPU µs of every thread of the server so far (threads that ended are not counted: libuv's and V8's live as long as the process). */
const cpu = () => {
  let ns = 0;
  for (const tid of readdirSync(`/proc/${renkei.pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${renkei.pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {}
  }
  return ns / 1000;
};
const steps = new Map();
const label = (method, url) => {
  const path = new URL(url, renkei.issuer).pathname;
  return `${method} ${path.replace(/\/interaction\/[^/]+/, '/interaction/:uid').replace(/^\/auth\/[^/]+$/, '/auth/:uid')}`;
};
let visits = new Map();
const measured = (browser) => {
  const request = browser.request.bind(browser);
  browser.request = async (url, init = {}) => {
    const base = label(init.method ?? 'GET', url);
    const n = (visits.get(base) ?? 0) + 1;
    visits.set(base, n);
    const key = n > 1 ? `${base} #${n}` : base;
    const before = cpu();
    const response = await request(url, init);
    const body = await response.arrayBuffer();
    const after = cpu();
    const s = steps.get(key) ?? { cpu: 0, count: 0, bytes: 0 };
    s.cpu += after - before; s.count++; s.bytes += body.byteLength;
    steps.set(key, s);
    return new Response(response.status === 204 || response.status === 304 || (response.status >= 300 && response.status < 400 && !body.byteLength) ? null : body, { status: response.status, headers: response.headers });
  };
  return browser;
};
const realFetch = globalThis.fetch;
globalThis.fetch = async (url, init) => {
  if (String(url) !== endpoints.token) return realFetch(url, init);
  const before = cpu();
  const response = await realFetch(url, init);
  const body = await response.text();
  const s = steps.get('POST /token') ?? { cpu: 0, count: 0, bytes: 0 };
  s.cpu += cpu() - before; s.count++;
  steps.set('POST /token', s);
  return new Response(body, { status: response.status, headers: response.headers });
};
measured(known);
const total = { before: cpu() };
for (let i = 0; i < JOURNEYS; i++) {
  visits = new Map();
  const browser = which === 'known' ? known : measured(new Browser(renkei.issuer));
  await walkJourney({ browser, endpoints, client: seed.client, customer: seed.customer });
}
const all = (cpu() - total.before) / JOURNEYS;
let sum = 0;
for (const [key, s] of steps) {
  sum += s.cpu / JOURNEYS;
  console.log(`${(s.cpu / JOURNEYS / 1000).toFixed(2).padStart(6)} ms a journey  ${(s.cpu / s.count / 1000).toFixed(2).padStart(6)} ms a request  ${String(Math.round(s.bytes / s.count)).padStart(6)} B  ${key} (${s.count})`);
}
console.log(`${(all / 1000).toFixed(2)} ms CPU a journey (${(sum / 1000).toFixed(2)} within the requests)`);
await renkei.stop();
await redisServer.stop();
process.exit(0);
