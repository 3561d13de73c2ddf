import type { Adapter, AdapterFactory, AdapterPayload } from 'oidc-provider';
import type { Announce, ChangeChannels, ChangeListener } from '../storage/change-channels.js';
import { HeldRecords } from '../storage/held-records.js';
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

/** A client record as held: JSON, for a reader that gets a copy of its own; parsed once and deeply frozen, for readers that only look. */
interface HeldClient {
  readonly json: string;
  readonly frozen: AdapterPayload;
}

/** Client records held in this process, on the terms of HeldRecords (dropped on every change heard, read again after MAX_HELD_MS). */
export class ClientCache implements ChangeListener {
  private readonly held: HeldRecords<HeldClient>;

  constructor(live: boolean, now?: () => number) {
    this.held = new HeldRecords(MAX_CACHED_CLIENTS, live, now);
  }

  /**
   * The record; `shared`: the one frozen copy held (no parse per read, ~10 µs of a token
   * request), for a reader that never changes it. Otherwise a copy of its own, which the reader
   * (the registry updating a record) may change.
   */
  async read(id: string, load: () => Promise<AdapterPayload | undefined | void>, shared = false): Promise<AdapterPayload | undefined> {
    const client = await this.held.read(id, async () => {
      const record = await load();
      if (!record) return undefined;
      const json = JSON.stringify(record);
      return { json, frozen: deepFreeze(JSON.parse(json) as AdapterPayload) };
    });
    if (!client) return undefined;
    return shared ? client.frozen : (JSON.parse(client.json) as AdapterPayload);
  }

  forget(id: string): void {
    this.held.changed([id]);
  }

  changed(ids: readonly string[]): void {
    this.held.changed(ids);
  }

  setLive(live: boolean): void {
    this.held.setLive(live);
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
