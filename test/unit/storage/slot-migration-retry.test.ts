import { describe, expect, it } from '@jest/globals';
import { backoffMs, isSlotInMotion, retryWhileSlotMoves } from '../../../src/storage/slot-migration-retry.js';

const replyError = (message: string) => Object.assign(new Error(message), { name: 'ReplyError' });

describe('retryWhileSlotMoves (Redis Cluster slot migration)', () => {
  it('knows which refusals mean the command did not run', () => {
    expect(isSlotInMotion(replyError('TRYAGAIN Multiple keys request during rehashing of slot'))).toBe(true);
    expect(isSlotInMotion(new Error('Too many Cluster redirections. Last error: ReplyError: TRYAGAIN …'))).toBe(true);
    expect(isSlotInMotion(replyError('NOSCRIPT No matching script. Please use EVAL.'))).toBe(true);
    expect(isSlotInMotion(replyError('CLUSTERDOWN The cluster is down'))).toBe(true);
    expect(isSlotInMotion(new Error('Command timed out'))).toBe(false);
    expect(isSlotInMotion(replyError('ERR Error running script'))).toBe(false);
  });

  it('backs off from 25 ms, doubling, to at most 400 ms', () => {
    expect([0, 1, 2, 3, 4, 5, 9].map(backoffMs)).toEqual([25, 50, 100, 200, 400, 400, 400]);
  });

  it('sends again while the slot moves and returns the first answer', async () => {
    let calls = 0;
    const result = await retryWhileSlotMoves(async () => {
      calls += 1;
      if (calls < 3) throw replyError('TRYAGAIN Multiple keys request during rehashing of slot');
      return 'OK';
    }, 1000);
    expect([result, calls]).toEqual(['OK', 3]);
  });

  it('never repeats a command that may have run (a timeout)', async () => {
    let calls = 0;
    await expect(retryWhileSlotMoves(async () => {
      calls += 1;
      throw new Error('Command timed out');
    }, 1000)).rejects.toThrow('Command timed out');
    expect(calls).toBe(1);
  });

  it('gives up with the last refusal once the budget is spent', async () => {
    let calls = 0;
    const started = Date.now();
    await expect(retryWhileSlotMoves(async () => {
      calls += 1;
      throw replyError('TRYAGAIN Multiple keys request during rehashing of slot');
    }, 100)).rejects.toThrow('TRYAGAIN');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(calls).toBeGreaterThanOrEqual(2);
    expect(calls).toBeLessThanOrEqual(3);
  });
});
