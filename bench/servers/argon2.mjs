// The core's own Argon2id rate with renkei's parameters, on whatever core the driver pins this
// process to: the bound on customer journeys per second. Measured with node:crypto's argon2Sync in
// a loop on one thread (the fastest way to hash here: no hand-off, the same 19 MiB reused), not
// with renkei's hashSecret, so that how renkei schedules its hashes cannot move the bound.
import { argon2Sync, randomBytes } from 'node:crypto';
import { ARGON2ID_PARAMETERS } from '../../dist/src/accounts/secret-hash.js';
import { announceReady, serveSetup } from './setup-channel.mjs';

const { memoryKiB: memory, passes, parallelism } = ARGON2ID_PARAMETERS;
const hashOnce = () => argon2Sync('argon2id', { message: Buffer.from('correct horse 2026'), nonce: randomBytes(16), memory, passes, parallelism, tagLength: 32 });

serveSetup({
  async measure({ seconds }) {
    hashOnce();
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const until = started + seconds * 1000;
    let hashes = 0;
    while (performance.now() < until) {
      hashOnce();
      hashes++;
    }
    const elapsed = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    return { hashes, seconds: elapsed, perSecond: hashes / elapsed, cpuMicrosPerHash: (cpu.user + cpu.system) / hashes };
  },
});
announceReady({ name: 'argon2' });
