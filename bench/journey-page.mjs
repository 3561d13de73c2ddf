// One screen of the journey, shown again and again: renkei's CPU per GET /interaction/:uid (the
// 利用者番号 page of one interaction, after its login), optionally under --cpu-prof, with its busiest
// functions (inclusive). Not part of `npm run bench`.
//   node bench/journey-page.mjs [REQUESTS]     env: PROFILE_DIR
import { readdirSync, readFileSync } from 'node:fs';
import { freePort } from '../test/support/redis-server.mjs';
import { pkcePair } from './servers/pkce.mjs';
import { REDIRECT_URI } from './servers/provider-fixtures.mjs';
import { FapiPartner } from './driver/fapi.mjs';
import { Browser } from './driver/journey.mjs';
import { ServerProcess, startRedisBesideDriver } from './driver/processes.mjs';
import { frameKey, newestProfile } from './driver/profile.mjs';
import { discover } from './driver/scenarios.mjs';

const REQUESTS = Number(process.argv[2] ?? 2000);
const PROFILE_DIR = process.env.PROFILE_DIR;
const redisServer = await startRedisBesideDriver();
const fapi = await FapiPartner.generate();
const renkei = await ServerProcess.start(new URL('./servers/renkei.mjs', import.meta.url).pathname, {
  env: { BENCH_SERVER: JSON.stringify({ redisUrl: redisServer.url, port: await freePort(), fapiJwk: fapi.publicJwk }) },
  core: 1,
  execArgv: PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : [],
});
const { child } = renkei;

const seed = await renkei.call('seed');
const endpoints = await discover(renkei.issuer);
const browser = new Browser(renkei.issuer);
const { challenge } = pkcePair();
const params = new URLSearchParams({ client_id: seed.client.clientId, response_type: 'code', redirect_uri: REDIRECT_URI, scope: 'openid accounts', state: 's', code_challenge: challenge, code_challenge_method: 'S256' });
const page = await browser.land(await browser.request(`${endpoints.authorization}?${params}`));
const csrf = /name="csrf" value="([^"]+)"/.exec(page.html)[1];
const uid = page.url.split('/').pop();
const { customer } = seed;
await browser.land(await browser.request(`/interaction/${uid}/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ csrf, login_id: customer.loginId, password: customer.password }).toString() }));
const cpu = () => {
  let ns = 0;
  for (const t of readdirSync(`/proc/${renkei.pid}/task`)) {
    try { ns += Number(readFileSync(`/proc/${renkei.pid}/task/${t}/schedstat`, 'utf8').split(' ')[0]); } catch {}
  }
  return ns / 1000;
};
const show = async () => {
  const response = await browser.request(`/interaction/${uid}`);
  const html = await response.text();
  if (response.status !== 200 || !html.includes('digit_')) throw new Error(`not the digits page: ${response.status}`);
};
for (let i = 0; i < 300; i++) await show();
const before = cpu();
for (let i = 0; i < REQUESTS; i++) await show();
console.log(`${((cpu() - before) / REQUESTS).toFixed(0)} µs CPU a GET /interaction/:uid (利用者番号 page)`);
const exited = new Promise((resolve) => child.once('exit', resolve));
child.disconnect();
await exited;
await redisServer.stop();
if (PROFILE_DIR) {
  const file = newestProfile(PROFILE_DIR);
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const keyOf = (n) => frameKey(n.callFrame);
  const self = new Map();
  const inclusive = new Map();
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    if (keyOf(nodes.get(id)).startsWith('(idle)')) return;
    self.set(keyOf(nodes.get(id)), (self.get(keyOf(nodes.get(id))) ?? 0) + dt);
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const key = keyOf(nodes.get(cur));
      if (!seen.has(key)) inclusive.set(key, (inclusive.get(key) ?? 0) + dt);
      seen.add(key);
    }
  });
  const rows = Number(process.env.ROWS ?? 40);
  console.log('self µs a request');
  for (const [key, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, rows)) console.log(`${(us / REQUESTS).toFixed(1).padStart(7)}  ${key}`);
  console.log('inclusive µs a request');
  for (const [key, us] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, rows)) console.log(`${(us / REQUESTS).toFixed(1).padStart(7)}  ${key}`);
}
process.exit(0);
