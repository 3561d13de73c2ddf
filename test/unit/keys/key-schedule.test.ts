import { describe, expect, it } from '@jest/globals';
import { scheduleKeys, type ScheduledJwk } from '../../../src/keys/key-schedule.js';

const key = (kid: string, alg: string, extra: Partial<ScheduledJwk> = {}): ScheduledJwk => ({ kid, alg, kty: 'EC', d: 'private', ...extra });

describe('scheduleKeys (staged rotation)', () => {
  it('lets the only key of an algorithm sign, without our schedule members reaching the provider', () => {
    const { providerKeys, statuses, nextChangeAt } = scheduleKeys([key('a', 'ES256')], 1000);
    expect(providerKeys).toEqual([{ kid: 'a', alg: 'ES256', kty: 'EC', d: 'private' }]);
    expect(statuses.get('a')).toBe('signing');
    expect(nextChangeAt).toBeUndefined();
  });

  it('publishes a rotated-in key for verification only until its start, then lets it sign', () => {
    const keys = [key('old', 'ES256', { renkei_not_after: 2000 }), key('new', 'ES256', { renkei_not_before: 1500 })];
    const before = scheduleKeys(keys, 1000);
    expect(before.statuses).toEqual(new Map([['old', 'signing'], ['new', 'pending']]));
    expect(before.providerKeys.find((k) => k.kid === 'new')?.key_ops).toEqual(['verify']);
    expect(before.providerKeys.find((k) => k.kid === 'old')?.key_ops).toBeUndefined();
    expect(before.nextChangeAt).toBe(1500);

    const after = scheduleKeys(keys, 1600);
    expect(after.statuses).toEqual(new Map([['old', 'published'], ['new', 'signing']]));
    expect(after.providerKeys.find((k) => k.kid === 'old')?.key_ops).toEqual(['verify']);
    expect(after.nextChangeAt).toBe(2000);
  });

  it('stops publishing a retired key, and keeps each algorithm separate', () => {
    const keys = [key('old', 'ES256', { renkei_not_after: 2000 }), key('new', 'ES256', { renkei_not_before: 1500 }), key('rsa', 'PS256', { kty: 'RSA' })];
    const { providerKeys, statuses } = scheduleKeys(keys, 2000);
    expect(providerKeys.map((k) => k.kid)).toEqual(['new', 'rsa']);
    expect(statuses).toEqual(new Map([['old', 'retired'], ['new', 'signing'], ['rsa', 'signing']]));
  });
});
