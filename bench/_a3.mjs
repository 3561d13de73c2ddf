import { argon2, randomBytes } from 'node:crypto';
import { HashPool } from '../dist/src/accounts/hash-pool.js';
const p = { message: Buffer.from('correct horse 2026'), nonce: randomBytes(16), parallelism: 1, tagLength: 32, memory: 19456, passes: 2 };
const asyncHash = () => new Promise((res, rej) => argon2('argon2id', p, (e, k) => (e ? rej(e) : res(k))));
const pool = new HashPool(Number(process.env.POOL ?? 2));
const poolHash = () => pool.hash('correct horse 2026');
const measure = async (name, fn, n = 40, concurrency = 4) => {
  const c0 = process.cpuUsage(); const t0 = performance.now();
  let left = n;
  await Promise.all(Array.from({ length: concurrency }, async () => { while (left-- > 0) await fn(); }));
  const c = process.cpuUsage(c0);
  return `${name} ${((c.user + c.system) / n / 1000).toFixed(1)} ms CPU/hash, ${(n / ((performance.now() - t0) / 1000)).toFixed(1)}/s`;
};
await poolHash(); await asyncHash();
for (let round = 0; round < 4; round++) console.log(await measure('async', asyncHash), ' | ', await measure('pool ', poolHash));
await pool.close();
