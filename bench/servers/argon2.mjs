// The core's own Argon2id rate with renkei's parameters, on whatever core the driver pins this
// process to: the bound on customer journeys per second. Measured with node:crypto's argon2Sync in
// a loop on one thread (the fastest way to hash here: no hand-off, the same 19 MiB reused), not
// with renkei's hashSecret, so that how renkei schedules its hashes cannot move the bound.
import { argon2Sync } from 'node:crypto';
import { argon2idInput } from './argon2-input.mjs';
import { announceReady, serveSetup } from './setup-channel.mjs';

const hashOnce = () => argon2Sync('argon2id', argon2idInput());

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
