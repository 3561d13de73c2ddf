// Argon2id throughput with renkei's own parameters (its hashSecret), on whatever core the driver
// pins this process to: the bound on customer journeys per second.
import { hashSecret } from '../../dist/src/accounts/secret-hash.js';
import { announceReady, serveSetup } from './setup-channel.mjs';

serveSetup({
  async measure({ seconds, concurrency }) {
    await hashSecret('warm-up');
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const until = started + seconds * 1000;
    let hashes = 0;
    const worker = async () => {
      while (performance.now() < until) {
        await hashSecret('correct horse 2026');
        hashes++;
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const elapsed = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    return { hashes, seconds: elapsed, perSecond: hashes / elapsed, cpuMicrosPerHash: (cpu.user + cpu.system) / hashes };
  },
});
announceReady({ name: 'argon2' });
