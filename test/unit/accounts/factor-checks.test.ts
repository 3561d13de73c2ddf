import { describe, expect, it } from '@jest/globals';
import { FactorChecks } from '../../../src/accounts/factor-checks.js';

describe('FactorChecks: one check of a key at a time', () => {
  it('runs the checks of one key in order, others alongside, and says when a caller’s earlier read may be stale', async () => {
    let clock = 0;
    const checks = new FactorChecks(() => clock);
    const log: string[] = [];
    let releaseFirst!: () => void;
    const first = checks.run('a', async (contended) => {
      log.push(`a1 start ${contended}`);
      await new Promise<void>((resolve) => (releaseFirst = resolve));
      log.push('a1 end');
    });
    const second = checks.run('a', async (contended) => {
      log.push(`a2 ${contended}`);
    });
    await checks.run('b', async (contended) => {
      log.push(`b ${contended}`);
    });
    releaseFirst();
    await Promise.all([first, second]);
    expect(log).toEqual(['a1 start false', 'b false', 'a1 end', 'a2 true']);

    // a check that ended within RECENT_MS may postdate the caller's read; later ones do not
    await checks.run('a', async (contended) => expect(contended).toBe(true));
    clock += FactorChecks.RECENT_MS + 1;
    await checks.run('a', async (contended) => expect(contended).toBe(false));
  });

  it('takes a read sent after the last check ended as current, one sent before it or too long ago as stale', async () => {
    let clock = 0;
    const checks = new FactorChecks(() => clock);
    await checks.run('a', async () => undefined);
    clock += 5;
    const afterEnd = checks.mark();
    await checks.run('a', async (contended) => expect(contended).toBe(false), afterEnd);

    const beforeEnd = checks.mark();
    clock += 5;
    await checks.run('a', async () => undefined);
    clock += 5;
    await checks.run('a', async (contended) => expect(contended).toBe(true), beforeEnd);

    const slowRead = checks.mark();
    clock += FactorChecks.RECENT_MS;
    await checks.run('b', async (contended) => expect(contended).toBe(true), slowRead);
    clock += 1;
    const freshRead = checks.mark();
    await checks.run('b', async (contended) => expect(contended).toBe(false), freshRead);
  });

  it('lets the next check run after one that failed', async () => {
    const checks = new FactorChecks();
    await expect(checks.run('a', async () => { throw new Error('store away'); })).rejects.toThrow('store away');
    await expect(checks.run('a', async () => 'ran')).resolves.toBe('ran');
  });
});
