export type SetWhileOutcome = 'set' | 'taken' | 'missing';

/**
 * The small key-value port renkei's own records use (customers, counters, devices, interaction
 * progress, grant indexes). Redis in production, memory in development; keys come from redis-keys.ts.
 */
export interface KeyValueStore {
  /**
   * Commands sent without waiting for each other are carried out in the order they were sent,
   * whatever their hash slots, oidc-provider's records included (one connection, one server);
   * false on a Redis Cluster, where keys of other slots are on other connections.
   */
  readonly keepsSendingOrder: boolean;
  get(key: string): Promise<string | undefined>;
  /** The values of keys that share one hash slot (a hash tag), in their order, in one step. */
  getMany(keys: readonly string[]): Promise<(string | undefined)[]>;
  set(key: string, value: string, ttlSeconds?: number): Promise<void>;
  /** true when the key was absent and is now set */
  setIfAbsent(key: string, value: string, ttlSeconds?: number): Promise<boolean>;
  /** One step: sets `value` when the key is absent (undefined), else leaves it and returns what it holds. */
  setIfAbsentElseGet(key: string, value: string): Promise<string | undefined>;
  /**
   * setIfAbsent, only while `requiredKey` (same hash slot) exists, in one step: 'set', 'taken'
   * (the key was there) or 'missing' (the required key was not; nothing set).
   */
  setIfAbsentWhile(key: string, value: string, ttlSeconds: number, requiredKey: string): Promise<SetWhileOutcome>;
  delete(...keys: string[]): Promise<void>;
  /** Deletes the key only while it holds `value` (one step); true when it did. */
  deleteIfHolds(key: string, value: string): Promise<boolean>;
  /** Deletes the key unless `guardKey` (same hash slot) exists, in one step; false when the guard was there. */
  deleteUnlessExists(key: string, guardKey: string): Promise<boolean>;
  /** atomically adds one; the TTL is set when the counter is created */
  increment(key: string, ttlSeconds?: number): Promise<number>;
  /**
   * Adds one to a counter kept as a field of one hash, with no expiry, in one step. When the hash
   * then holds more than `maxFields` fields, another field than this one, chosen at random, is
   * removed: the hash never grows past the bound, and no one can tell which field will go.
   */
  incrementBoundedField(key: string, field: string, maxFields: number): Promise<number>;
  /**
   * Sets one integer field of a JSON object record in place, atomically, keeping its TTL; false
   * when there is no record. For a field that appears once, at the top level, named by letters and digits.
   */
  setJsonInteger(key: string, field: string, value: number): Promise<boolean>;
  hashSet(key: string, field: string, value: string): Promise<void>;
  /** several fields in one command */
  hashSetFields(key: string, fields: Readonly<Record<string, string>>): Promise<void>;
  hashGet(key: string, field: string): Promise<string | undefined>;
  /** The values of `fields` in one hash, in their order (undefined where absent), in one step. */
  hashGetFields(key: string, fields: readonly string[]): Promise<(string | undefined)[]>;
  hashGetAll(key: string): Promise<Record<string, string>>;
  hashDelete(key: string, ...fields: string[]): Promise<void>;
}

/** What setJsonInteger accepts: the patch relies on both. */
export function assertJsonInteger(field: string, value: number): void {
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(field)) throw new Error(`setJsonInteger: field name ${field} is not letters and digits`);
  if (!Number.isSafeInteger(value)) throw new Error(`setJsonInteger: ${field} must be a safe integer`);
}
