import { describe, expect, it } from '@jest/globals';
import type { AdapterFactory } from 'oidc-provider';
import { pino } from 'pino';
import type { GrantIndex } from '../../../src/grants/grant-index.js';
import { createExpirySweep } from '../../../src/events/expiry-sweep.js';
import { CLAIM_LEASE_MS, MemoryGrantExpiries } from '../../../src/events/grant-expiries.js';
import type { PartnerEvents } from '../../../src/events/partner-events.js';

const GRANT = { grantId: 'g-1', clientId: 'c-1', sub: 's-1' };

/** The sweep on a clock of its own, its grant records gone (expired), session-revoked failing `failures` times. */
function sweepWith(failures: number) {
  let clock = 1_000_000;
  const expiries = new MemoryGrantExpiries();
  const reported: string[] = [];
  const events = {
    async sessionRevoked(sub: string, grant: typeof GRANT, reason: string) {
      if (failures-- > 0) throw new Error('store unavailable');
      reported.push(`${sub} ${grant.grantId} ${reason}`);
      await expiries.untrack({ ...grant, sub });
    },
  } as unknown as PartnerEvents;
  const adapterFactory = (() => ({ find: async () => undefined })) as unknown as AdapterFactory;
  const grants = { find: async () => undefined, remove: async () => undefined } as unknown as GrantIndex;
  const sweep = createExpirySweep({ expiries, adapterFactory, grants, events, logger: pino({ level: 'silent' }), now: () => clock });
  return { expiries, reported, sweep, advance: (ms: number) => (clock += ms), now: () => clock };
}

describe('the expiry sweep (a grant that ended on its own is reported to its partner)', () => {
  it('reports a due grant once', async () => {
    const { expiries, reported, sweep, now } = sweepWith(0);
    await expiries.track(GRANT, now() - 1);
    await sweep();
    await sweep();
    expect(reported).toEqual(['s-1 g-1 grant_expired']);
  });

  it('keeps a grant whose report failed, and reports it once its claim has lapsed', async () => {
    const { expiries, reported, sweep, advance, now } = sweepWith(1);
    await expiries.track(GRANT, now() - 1);
    await sweep();
    expect(reported).toEqual([]);
    await sweep();
    expect(reported).toEqual([]);
    advance(CLAIM_LEASE_MS + 1);
    await sweep();
    expect(reported).toEqual(['s-1 g-1 grant_expired']);
    advance(CLAIM_LEASE_MS + 1);
    await sweep();
    expect(reported).toHaveLength(1);
  });
});
