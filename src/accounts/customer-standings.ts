import { MAX_HELD_MS, type ChangeListener } from '../storage/change-channels.js';
import type { Customer, CustomerStatus } from './customer.js';

const MAX_CACHED_STANDINGS = 100_000;

/** What the token and resource paths need of a customer: who, and whether they may be served. */
export interface CustomerStanding {
  readonly sub: string;
  readonly status: CustomerStatus;
}

const standingOf = ({ sub, status }: Customer): CustomerStanding => ({ sub, status });

/**
 * Customers' standings held in this process (not their records: no hashes or secrets). It serves
 * only while it hears every change (`live`); whenever that may not hold it forgets everything and
 * reads through. A fill that raced a change is not kept (the generation moved on meanwhile).
 * Absence is not kept: a customer not found is looked for again next time. A standing is read
 * again after MAX_HELD_MS in any case.
 */
export class CustomerStandings implements ChangeListener {
  private readonly standings = new Map<string, { readonly standing: CustomerStanding; readonly heldUntil: number }>();
  private generation = 0;

  constructor(
    private live = false,
    private readonly now: () => number = Date.now,
  ) {}

  async read(sub: string, load: () => Promise<Customer | undefined>): Promise<CustomerStanding | undefined> {
    if (!this.live) {
      const customer = await load();
      return customer && standingOf(customer);
    }
    const cached = this.standings.get(sub);
    if (cached && cached.heldUntil > this.now()) return cached.standing;
    const generation = this.generation;
    const customer = await load();
    if (!customer) return undefined;
    const standing = standingOf(customer);
    if (this.live && generation === this.generation) {
      if (this.standings.size >= MAX_CACHED_STANDINGS) this.standings.clear();
      this.standings.set(sub, { standing, heldUntil: this.now() + MAX_HELD_MS });
    }
    return standing;
  }

  changed(subs: readonly string[]): void {
    this.generation++;
    for (const sub of subs) this.standings.delete(sub);
  }

  setLive(live: boolean): void {
    this.generation++;
    this.standings.clear();
    this.live = live;
  }
}
