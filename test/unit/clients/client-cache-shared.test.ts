import { describe, expect, it } from '@jest/globals';
import { ClientCache } from '../../../src/clients/client-cache.js';
import { MAX_HELD_MS } from '../../../src/storage/change-channels.js';

const record = () => ({ client_id: 'c1', redirect_uris: ['https://partner.example/cb'], jwks: { keys: [{ kty: 'EC', kid: 'k1' }] } });

describe('the client cache', () => {
  it('hands readers that only look one frozen record, and every other reader a copy of its own', async () => {
    const cache = new ClientCache(true);
    let loads = 0;
    const load = async () => {
      loads++;
      return record();
    };
    await cache.read('c1', load);
    const shared = await cache.read('c1', load, true);
    expect(await cache.read('c1', load, true)).toBe(shared);
    expect(Object.isFrozen(shared)).toBe(true);
    expect(Object.isFrozen((shared as ReturnType<typeof record>).jwks.keys[0])).toBe(true);
    expect(() => (shared as ReturnType<typeof record>).redirect_uris.push('https://evil.example')).toThrow(TypeError);

    const copy = (await cache.read('c1', load)) as ReturnType<typeof record>;
    expect(copy).toEqual(record());
    copy.redirect_uris.push('https://other.example');
    expect(await cache.read('c1', load, true)).toEqual(record());
    expect(loads).toBe(1);

    cache.forget('c1');
    await cache.read('c1', load, true);
    expect(loads).toBe(2);
  });

  it('reads a record again once it is older than MAX_HELD_MS, even with no change heard (a lost announcement)', async () => {
    let now = 5_000_000;
    const cache = new ClientCache(true, () => now);
    await cache.read('c1', async () => record(), true);
    now += MAX_HELD_MS - 1;
    expect(await cache.read('c1', async () => ({ ...record(), disabled: true }), true)).not.toHaveProperty('disabled');
    now += 1;
    expect(await cache.read('c1', async () => ({ ...record(), disabled: true }), true)).toHaveProperty('disabled', true);
  });
});
