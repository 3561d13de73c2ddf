import type { Adapter, AdapterFactory, AdapterPayload } from 'oidc-provider';
import { MAX_HELD_MS, type Announce, type ChangeChannels, type ChangeListener } from '../storage/change-channels.js';
import { redisKeys } from '../storage/redis-keys.js';
import type { Store } from '../storage/store.js';
import { DelegatingAdapter } from '../storage/delegating-adapter.js';

const MAX_CACHED_CLIENTS = 10_000;

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const member of Object.values(value)) deepFreeze(member);
    Object.freeze(value);
  }
  return value;
}

/** A Client adapter that can hand out a record without copying it, to a reader that never changes it. */
export interface SharedClientRecords {
  findShared(id: string): Promise<AdapterPayload | undefined>;
}

export const sharesClientRecords = (adapter: Adapter): adapter is Adapter & SharedClientRecords =>
  typeof (adapter as Partial<SharedClientRecords>).findShared === 'function';

/**
 * Client records held in this process. It serves only while it hears every change (`live`);
 * whenever that may not hold (not yet subscribed, a lost connection) it forgets everything and
 * reads through. A fill that raced a change is not kept (the generation moved on meanwhile). A
 * record is read again after MAX_HELD_MS in any case.
 */
export class ClientCache implements ChangeListener {
  /**
   * as JSON, so that a read can get its own copy made in the caller's realm; and parsed once,
   * deeply frozen, for readers that only look (`shared`)
   */
  private readonly records = new Map<string, { readonly json: string; readonly frozen: AdapterPayload; readonly heldUntil: number }>();
  private generation = 0;

  constructor(
    private live: boolean,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The record; `shared`: the one frozen copy held (no parse per read, ~10 µs of a token
   * request), for a reader that never changes it. Otherwise a copy of its own, which the reader
   * (the registry updating a record) may change.
   */
  async read(id: string, load: () => Promise<AdapterPayload | undefined | void>, shared = false): Promise<AdapterPayload | undefined> {
    if (!this.live) return (await load()) ?? undefined;
    const cached = this.records.get(id);
    if (cached && cached.heldUntil > this.now()) return shared ? cached.frozen : (JSON.parse(cached.json) as AdapterPayload);
    const generation = this.generation;
    const record = await load();
    if (record && this.live && generation === this.generation) {
      if (this.records.size >= MAX_CACHED_CLIENTS) this.records.clear();
      const json = JSON.stringify(record);
      this.records.set(id, { json, frozen: deepFreeze(JSON.parse(json) as AdapterPayload), heldUntil: this.now() + MAX_HELD_MS });
    }
    return record ?? undefined;
  }

  forget(id: string): void {
    this.generation++;
    this.records.delete(id);
  }

  changed(ids: readonly string[]): void {
    for (const id of ids) this.forget(id);
  }

  /** `live`: every change from now on will be heard. Either way, what was held may be stale. */
  setLive(live: boolean): void {
    this.generation++;
    this.records.clear();
    this.live = live;
  }
}

class CachedClientAdapter extends DelegatingAdapter implements SharedClientRecords {
  constructor(
    base: Adapter,
    private readonly cache: ClientCache,
    private readonly announce: Announce,
  ) {
    super(base);
  }

  override find(id: string) {
    return this.cache.read(id, () => this.base.find(id));
  }
  findShared(id: string) {
    return this.cache.read(id, () => this.base.find(id), true);
  }
  // forgotten here at once, everywhere else as soon as the announcement arrives
  override async upsert(id: string, payload: AdapterPayload, expiresIn?: number) {
    await this.base.upsert(id, payload, expiresIn);
    await this.announce([id]);
  }
  override async destroy(id: string) {
    await this.base.destroy(id);
    await this.announce([id]);
  }
}

/**
 * The store with client records cached in-process: every token, introspection and userinfo
 * request needs its client, which changes only when staff change it. A change made through any
 * instance's store (registry, CLI via the admin API) is announced to all of them (`changes`), so
 * that disabling a client takes effect everywhere at once.
 */
export function withClientCache(store: Store, changes: ChangeChannels): Store {
  const cache = new ClientCache(false);
  const announce = changes.listen(redisKeys.clientChangesChannel(), cache);
  const base = store.adapterFactory;
  const adapterFactory: AdapterFactory = (model) => (model === 'Client' ? new CachedClientAdapter(base(model), cache, announce) : base(model));
  return { ...store, adapterFactory };
}
