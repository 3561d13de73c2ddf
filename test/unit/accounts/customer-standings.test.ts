import { describe, expect, it } from '@jest/globals';
import { CustomerStandings } from '../../../src/accounts/customer-standings.js';
import { MAX_HELD_MS } from '../../../src/storage/change-channels.js';
import type { Customer } from '../../../src/accounts/customer.js';

const customer = (status: Customer['status'] = 'active') => ({ sub: 's1', loginId: 'taro', status, passwordHash: '$argon2id$secret', answerHash: '$argon2id$answer' }) as unknown as Customer;

describe('customer standings', () => {
  it('holds only sub and status, and reads again once the customer changed', async () => {
    const standings = new CustomerStandings(true);
    let loads = 0;
    const load = async () => {
      loads++;
      return customer();
    };
    expect(await standings.read('s1', load)).toEqual({ sub: 's1', status: 'active' });
    await standings.read('s1', load);
    expect(loads).toBe(1);
    standings.changed(['s1']);
    await standings.read('s1', load);
    expect(loads).toBe(2);
  });

  it('reads through while not live, and keeps no absence', async () => {
    const standings = new CustomerStandings();
    let loads = 0;
    await standings.read('s1', async () => (loads++, customer()));
    await standings.read('s1', async () => (loads++, customer()));
    expect(loads).toBe(2);
    standings.setLive(true);
    expect(await standings.read('s1', async () => (loads++, undefined))).toBeUndefined();
    expect(await standings.read('s1', async () => (loads++, customer('locked')))).toEqual({ sub: 's1', status: 'locked' });
    expect(loads).toBe(4);
  });

  it('does not keep a standing read while a change was announced', async () => {
    const standings = new CustomerStandings(true);
    const raced = await standings.read('s1', async () => {
      standings.changed(['s1']);
      return customer('active');
    });
    expect(raced).toEqual({ sub: 's1', status: 'active' });
    expect(await standings.read('s1', async () => customer('locked'))).toEqual({ sub: 's1', status: 'locked' });
  });

  it('reads a standing again once it is older than its maximum age, even with no change heard', async () => {
    let now = 1_000_000;
    const standings = new CustomerStandings(true, () => now);
    expect(await standings.read('s1', async () => customer('active'))).toEqual({ sub: 's1', status: 'active' });
    now += MAX_HELD_MS - 1;
    expect(await standings.read('s1', async () => customer('locked'))).toEqual({ sub: 's1', status: 'active' });
    now += 1;
    expect(await standings.read('s1', async () => customer('locked'))).toEqual({ sub: 's1', status: 'locked' });
  });
});
