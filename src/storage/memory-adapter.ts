import type { Adapter, AdapterFactory, AdapterPayload } from 'oidc-provider';
import { alreadyConsumed } from './consume-errors.js';
import { consumedFieldsOf, liveCapOf, usedCapOf } from './grant-record-limits.js';
import { GRANTABLE_MODELS, REPLAY_CLAIM_SECONDS, REPLAY_DETECTION } from './redis-keys.js';

interface StoredRecord {
  json: string;
  consumed?: number;
  grantId?: string;
  expiresAt: number;
}

interface StoredIndex {
  id: string;
  expiresAt: number;
}

const NEVER = Number.POSITIVE_INFINITY;

/** What one grant holds: every record key, and the capped lists (oldest first) of the grant-record limits. */
interface GrantBook {
  readonly members: Set<string>;
  readonly liveAccessTokens: string[];
  readonly usedRefreshTokens: string[];
}

/**
 * The development store: one process, nothing persisted. It keeps the same contract as the Redis
 * adapter (copies in and out, TTLs, single-use consumption, revocation by grant), which the shared
 * adapter contract tests check.
 */
export class MemoryStore {
  readonly records = new Map<string, StoredRecord>();
  readonly grants = new Map<string, GrantBook>();
  readonly indexes = new Map<string, StoredIndex>();
  private writes = 0;

  constructor(private readonly now: () => number = Date.now) {}

  isLive(entry: { expiresAt: number } | undefined): boolean {
    return entry !== undefined && entry.expiresAt > this.now();
  }

  expiry(expiresIn: number | undefined): number {
    return typeof expiresIn === 'number' && expiresIn > 0 ? this.now() + expiresIn * 1000 : NEVER;
  }

  noteWrite(): void {
    if (++this.writes % 1000 === 0) this.sweep();
  }

  private sweep(): void {
    for (const [key, record] of this.records) if (!this.isLive(record)) this.records.delete(key);
    for (const [key, index] of this.indexes) if (!this.isLive(index)) this.indexes.delete(key);
    for (const grantId of this.grants.keys()) this.pruneGrant(grantId);
  }

  grantBook(grantId: string): GrantBook {
    let book = this.grants.get(grantId);
    if (!book) this.grants.set(grantId, (book = { members: new Set(), liveAccessTokens: [], usedRefreshTokens: [] }));
    return book;
  }

  /** Forgets the grant's records that expired or were deleted. */
  pruneGrant(grantId: string): void {
    const book = this.grants.get(grantId);
    if (!book) return;
    for (const key of book.members) if (!this.isLive(this.records.get(key))) this.forget(book, key);
    if (book.members.size === 0) this.grants.delete(grantId);
  }

  /** Adds a key to one of the grant's capped lists; what falls off the front is deleted. */
  keepNewest(book: GrantBook, list: string[], key: string, cap: number): void {
    if (cap === 0) return;
    const at = list.indexOf(key);
    if (at >= 0) list.splice(at, 1);
    list.push(key);
    while (list.length > cap) this.forget(book, list[0]!);
  }

  forget(book: GrantBook, key: string): void {
    this.records.delete(key);
    book.members.delete(key);
    for (const list of [book.liveAccessTokens, book.usedRefreshTokens]) {
      const at = list.indexOf(key);
      if (at >= 0) list.splice(at, 1);
    }
  }

  revokeGrant(grantId: string): void {
    for (const key of this.grants.get(grantId)?.members ?? []) this.records.delete(key);
    this.grants.delete(grantId);
  }
}

class MemoryAdapter implements Adapter {
  private readonly grantable: boolean;

  constructor(
    private readonly model: string,
    private readonly store: MemoryStore,
  ) {
    this.grantable = GRANTABLE_MODELS.has(model);
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    const key = this.key(id);
    const expiresAt = this.store.expiry(expiresIn);
    const { consumed, ...rest } = payload;
    const previous = this.store.records.get(key);
    if (previous?.grantId && previous.grantId !== payload.grantId) this.store.grants.get(previous.grantId)?.members.delete(key);

    const grantId = this.grantable ? payload.grantId : undefined;
    this.store.records.set(key, {
      json: JSON.stringify(rest),
      ...(consumed ? { consumed } : {}),
      ...(grantId ? { grantId } : {}),
      expiresAt,
    });
    if (grantId) {
      this.store.pruneGrant(grantId);
      const book = this.store.grantBook(grantId);
      book.members.add(key);
      this.store.keepNewest(book, book.liveAccessTokens, key, liveCapOf(this.model));
    }
    if (this.model === 'Session' && payload.uid) this.store.indexes.set(`Session:uid:${payload.uid}`, { id, expiresAt });
    if (payload.userCode) this.store.indexes.set(`${this.model}:userCode:${payload.userCode}`, { id, expiresAt });
    this.store.noteWrite();
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    const record = this.store.records.get(this.key(id));
    if (this.model === REPLAY_DETECTION && (!record || !this.store.isLive(record))) {
      // claim on find, like the Redis adapter: concurrent uniqueness checks see the claim
      this.store.records.set(this.key(id), { json: JSON.stringify({ jti: id, kind: REPLAY_DETECTION }), expiresAt: this.store.expiry(REPLAY_CLAIM_SECONDS) });
      return undefined;
    }
    if (!record || !this.store.isLive(record)) return undefined;
    const payload = JSON.parse(record.json) as AdapterPayload;
    if (record.consumed) payload.consumed = record.consumed;
    return payload;
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    return this.findByIndex(`Session:uid:${uid}`);
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    return this.findByIndex(`${this.model}:userCode:${userCode}`);
  }

  async consume(id: string): Promise<void> {
    const record = this.store.records.get(this.key(id));
    if (!record || !this.store.isLive(record)) throw alreadyConsumed(this.model);
    if (record.consumed) {
      if (record.grantId) {
        this.store.revokeGrant(record.grantId);
        this.store.records.delete(`Grant:${record.grantId}`);
      }
      throw alreadyConsumed(this.model);
    }
    record.consumed = Math.floor(Date.now() / 1000);
    const kept = consumedFieldsOf(this.model);
    if (kept) {
      const payload = JSON.parse(record.json) as Record<string, unknown>;
      record.json = JSON.stringify(Object.fromEntries(kept.filter((field) => field in payload).map((field) => [field, payload[field]])));
    }
    if (record.grantId) {
      const book = this.store.grantBook(record.grantId);
      this.store.keepNewest(book, book.usedRefreshTokens, this.key(id), usedCapOf(this.model));
    }
  }

  async destroy(id: string): Promise<void> {
    const key = this.key(id);
    const record = this.store.records.get(key);
    this.store.records.delete(key);
    if (!record) return;
    const book = record.grantId ? this.store.grants.get(record.grantId) : undefined;
    if (book) this.store.forget(book, key);
    const payload = JSON.parse(record.json) as AdapterPayload;
    for (const indexKey of [`Session:uid:${payload.uid}`, `${this.model}:userCode:${payload.userCode}`]) {
      if (this.store.indexes.get(indexKey)?.id === id) this.store.indexes.delete(indexKey);
    }
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    this.store.revokeGrant(grantId);
  }

  private key(id: string): string {
    return `${this.model}:${id}`;
  }

  private async findByIndex(indexKey: string): Promise<AdapterPayload | undefined> {
    const index = this.store.indexes.get(indexKey);
    return index && this.store.isLive(index) ? this.find(index.id) : undefined;
  }
}

export function createMemoryAdapterFactory(store = new MemoryStore()): AdapterFactory {
  return (model: string) => new MemoryAdapter(model, store);
}
