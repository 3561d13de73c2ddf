import { MAX_HELD_MS, type ChangeListener } from './change-channels.js';

/**
 * Values held in this process for records that change elsewhere (clients, customers' standings).
 * It serves only while it hears every change (`live`); whenever that may not hold (not yet
 * subscribed, a lost connection) it forgets everything and reads through. A fill that raced a
 * change is not kept (the generation moved on meanwhile). Absence is not kept. A value is read
 * again after MAX_HELD_MS in any case, so that a lost announcement is made good.
 */
export class HeldRecords<V> implements ChangeListener {
  private readonly held = new Map<string, { readonly value: V; readonly heldUntil: number }>();
  private generation = 0;

  constructor(
    private readonly maxEntries: number,
    private live = false,
    private readonly now: () => number = Date.now,
  ) {}

  /** The value held for `id`, else what `load` gives (held when it may be). */
  async read(id: string, load: () => Promise<V | undefined>): Promise<V | undefined> {
    if (!this.live) return load();
    const cached = this.held.get(id);
    if (cached && cached.heldUntil > this.now()) return cached.value;
    const generation = this.generation;
    const value = await load();
    if (value !== undefined && this.live && generation === this.generation) {
      if (this.held.size >= this.maxEntries) this.held.clear();
      this.held.set(id, { value, heldUntil: this.now() + MAX_HELD_MS });
    }
    return value;
  }

  changed(ids: readonly string[]): void {
    this.generation++;
    for (const id of ids) this.held.delete(id);
  }

  setLive(live: boolean): void {
    this.generation++;
    this.held.clear();
    this.live = live;
  }
}
