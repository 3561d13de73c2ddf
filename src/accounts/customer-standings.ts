import type { ChangeListener } from '../storage/change-channels.js';
import { HeldRecords } from '../storage/held-records.js';
import type { Customer, CustomerStatus } from './customer.js';

const MAX_CACHED_STANDINGS = 100_000;

/** What the token and resource paths need of a customer: who, and whether they may be served. */
export interface CustomerStanding {
  readonly sub: string;
  readonly status: CustomerStatus;
}

/**
 * Customers' standings held in this process (not their records: no hashes or secrets), on the
 * terms of HeldRecords: dropped on every change heard, read again after MAX_HELD_MS.
 */
export class CustomerStandings implements ChangeListener {
  private readonly held: HeldRecords<CustomerStanding>;

  constructor(live = false, now?: () => number) {
    this.held = new HeldRecords(MAX_CACHED_STANDINGS, live, now);
  }

  read(sub: string, load: () => Promise<Customer | undefined>): Promise<CustomerStanding | undefined> {
    return this.held.read(sub, async () => {
      const customer = await load();
      return customer && { sub: customer.sub, status: customer.status };
    });
  }

  changed(subs: readonly string[]): void {
    this.held.changed(subs);
  }

  setLive(live: boolean): void {
    this.held.setLive(live);
  }
}
