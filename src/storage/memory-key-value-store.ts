import { randomInt } from 'node:crypto';
import { assertJsonInteger, type KeyValueStore, type SetWhileOutcome } from './key-value-store.js';

interface Entry {
  value: string | Map<string, string>;
  expiresAt: number;
}

export class MemoryKeyValueStore implements KeyValueStore {
  readonly keepsSendingOrder = true;
  private readonly entries = new Map<string, Entry>();

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private static expiry(ttlSeconds?: number): number {
    return ttlSeconds && ttlSeconds > 0 ? Date.now() + ttlSeconds * 1000 : Number.POSITIVE_INFINITY;
  }

  private hash(key: string, create: boolean): Map<string, string> | undefined {
    const entry = this.live(key);
    if (entry && entry.value instanceof Map) return entry.value;
    if (!create) return undefined;
    const value = new Map<string, string>();
    this.entries.set(key, { value, expiresAt: Number.POSITIVE_INFINITY });
    return value;
  }

  async get(key: string): Promise<string | undefined> {
    const value = this.live(key)?.value;
    return typeof value === 'string' ? value : undefined;
  }

  async getMany(keys: readonly string[]): Promise<(string | undefined)[]> {
    return keys.map((key) => {
      const value = this.live(key)?.value;
      return typeof value === 'string' ? value : undefined;
    });
  }

  async set(key: string, value: string, ttlSeconds?: number): Promise<void> {
    this.entries.set(key, { value, expiresAt: MemoryKeyValueStore.expiry(ttlSeconds) });
  }

  async setIfAbsent(key: string, value: string, ttlSeconds?: number): Promise<boolean> {
    if (this.live(key)) return false;
    await this.set(key, value, ttlSeconds);
    return true;
  }

  async setIfAbsentElseGet(key: string, value: string): Promise<string | undefined> {
    const held = this.live(key)?.value;
    if (held === undefined) await this.set(key, value);
    return typeof held === 'string' ? held : undefined;
  }

  async setIfAbsentWhile(key: string, value: string, ttlSeconds: number, requiredKey: string): Promise<SetWhileOutcome> {
    if (!this.live(requiredKey)) return 'missing';
    return (await this.setIfAbsent(key, value, ttlSeconds)) ? 'set' : 'taken';
  }

  async deleteIfHolds(key: string, value: string): Promise<boolean> {
    if (this.live(key)?.value !== value) return false;
    this.entries.delete(key);
    return true;
  }

  async deleteUnlessExists(key: string, guardKey: string): Promise<boolean> {
    if (this.live(guardKey)) return false;
    this.entries.delete(key);
    return true;
  }

  async delete(...keys: string[]): Promise<void> {
    for (const key of keys) this.entries.delete(key);
  }

  async increment(key: string, ttlSeconds?: number): Promise<number> {
    const entry = this.live(key);
    const next = (entry ? Number(entry.value) : 0) + 1;
    this.entries.set(key, { value: String(next), expiresAt: entry?.expiresAt ?? MemoryKeyValueStore.expiry(ttlSeconds) });
    return next;
  }

  async incrementBoundedField(key: string, field: string, maxFields: number): Promise<number> {
    const hash = this.hash(key, true)!;
    const value = Number(hash.get(field) ?? 0) + 1;
    hash.set(field, String(value));
    if (value === 1 && hash.size > Math.max(1, maxFields)) {
      const others = [...hash.keys()].filter((name) => name !== field);
      hash.delete(others[randomInt(others.length)]!);
    }
    return value;
  }

  async setJsonInteger(key: string, field: string, value: number): Promise<boolean> {
    assertJsonInteger(field, value);
    const entry = this.live(key);
    if (!entry || typeof entry.value !== 'string') return false;
    entry.value = JSON.stringify({ ...(JSON.parse(entry.value) as object), [field]: value });
    return true;
  }

  async hashSet(key: string, field: string, value: string): Promise<void> {
    this.hash(key, true)!.set(field, value);
  }

  async hashSetFields(key: string, fields: Readonly<Record<string, string>>): Promise<void> {
    const hash = this.hash(key, true)!;
    for (const [field, value] of Object.entries(fields)) hash.set(field, value);
  }

  async hashGet(key: string, field: string): Promise<string | undefined> {
    return this.hash(key, false)?.get(field);
  }

  async hashGetFields(key: string, fields: readonly string[]): Promise<(string | undefined)[]> {
    const hash = this.hash(key, false);
    return fields.map((field) => hash?.get(field));
  }

  async hashGetAll(key: string): Promise<Record<string, string>> {
    return Object.fromEntries(this.hash(key, false) ?? []);
  }

  async hashDelete(key: string, ...fields: string[]): Promise<void> {
    const hash = this.hash(key, false);
    for (const field of fields) hash?.delete(field);
    if (hash?.size === 0) this.entries.delete(key);
  }
}
