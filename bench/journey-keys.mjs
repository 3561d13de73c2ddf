// What finished customer journeys leave in Redis, key by key: `node bench/journey-keys.mjs [journeys] [wait seconds]`
// (after `npm run build`). Prints each key pattern's bytes per journey right after the journeys
// and again after the wait (short-lived records lapsed), and every key of the last journey with its TTL.
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { freePort, startRedisServer } from '../test/support/redis-server.mjs';
import { FapiPartner } from './driver/fapi.mjs';
import { Browser, walkJourney } from './driver/journey.mjs';
import { ServerProcess } from './driver/processes.mjs';
import { bytesAdded, memorySnapshot } from './driver/redis-probe.mjs';
import { discover } from './driver/scenarios.mjs';

const journeys = Number(process.argv[2] ?? 10);
const waitSeconds = Number(process.argv[3] ?? 15);
const redisServer = await startRedisServer();
const fapi = await FapiPartner.generate();
const renkei = await ServerProcess.start(new URL('./servers/renkei.mjs', import.meta.url).pathname, {
  env: { BENCH_SERVER: JSON.stringify({ redisUrl: redisServer.url, port: await freePort(), fapiJwk: fapi.publicJwk }) },
});
const children = [redisServer.process, renkei.child];
process.on('exit', () => children.forEach((child) => child.kill('SIGKILL')));
try {
  const redis = new Redis(redisServer.url);
  const seed = await renkei.call('seed');
  const endpoints = await discover(renkei.issuer);
  const customers = await renkei.call('customers', { count: journeys });
  const before = await memorySnapshot(redis, 'renkei:');
  const keysBefore = new Set(await redis.keys('renkei:*'));
  for (const customer of customers) await walkJourney({ browser: new Browser(renkei.issuer), endpoints, client: seed.client, customer });
  const report = (title, added) => {
    console.log(`${title}: ${Math.round(added.total / journeys)} B per journey`);
    for (const [pattern, bytes] of Object.entries(added.byPattern).sort((a, b) => b[1] - a[1])) console.log(`  ${pattern.padEnd(42)} ${Math.round(bytes / journeys)}`);
  };
  report('right after the journeys', bytesAdded(before, await memorySnapshot(redis, 'renkei:')));
  const lastKeys = (await redis.keys('renkei:*')).filter((key) => !keysBefore.has(key));
  console.log('keys added (all journeys), bytes and TTL:');
  for (const key of lastKeys.sort().slice(-40)) console.log(`  ${key.padEnd(80)} ${await redis.memory('USAGE', key)} B ttl ${await redis.ttl(key)} s`);
  await sleep(waitSeconds * 1000);
  report(`after ${waitSeconds} s`, bytesAdded(before, await memorySnapshot(redis, 'renkei:')));
  redis.disconnect();
} finally {
  process.exit(0);
}
