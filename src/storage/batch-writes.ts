import { Cluster } from 'ioredis';
import type { KeyValueStore } from './key-value-store.js';
import type { RedisConnection } from './redis-connection.js';
import { guardStore } from './store-errors.js';

/** A record written only when its index key was still free (the index key is set NX). */
export interface GuardedWrite {
  readonly indexKey: string;
  readonly indexValue: string;
  readonly recordKey: string;
  readonly record: string;
}

/**
 * Many reads or writes in one round trip: a Redis pipeline on a single node. On a cluster the
 * commands of one batch span nodes, so they are sent together without waiting for each other;
 * the memory store just loops.
 */
export interface BatchWrites {
  getMany(keys: readonly string[]): Promise<(string | undefined)[]>;
  /** For each write: the record, then its index key only if absent; true where the index was taken. */
  createMany(writes: readonly GuardedWrite[]): Promise<boolean[]>;
  setMany(pairs: readonly (readonly [key: string, value: string])[]): Promise<void>;
  hashSetMany(key: string, fields: Readonly<Record<string, string>>): Promise<void>;
  deleteMany(keys: readonly string[]): Promise<void>;
}

/** ioredis command names are its method names (lower case) */
type Command = readonly [name: string, ...args: string[]];

async function sendAll(redis: RedisConnection, commands: readonly Command[]): Promise<unknown[]> {
  if (commands.length === 0) return [];
  if (redis instanceof Cluster) return Promise.all(commands.map(([name, ...args]) => redis.call(name, ...args)));
  const replies = (await redis.pipeline(commands.map((command) => [...command])).exec()) ?? [];
  return replies.map(([error, reply]) => {
    if (error) throw error;
    return reply;
  });
}

export function redisBatchWrites(redis: RedisConnection): BatchWrites {
  const send = (commands: readonly Command[]) => guardStore(() => sendAll(redis, commands));
  return {
    async getMany(keys) {
      return (await send(keys.map((key) => ['get', key] as const))).map((reply) => (typeof reply === 'string' ? reply : undefined));
    },
    async createMany(writes) {
      const replies = await send(writes.flatMap((w) => [['set', w.recordKey, w.record], ['set', w.indexKey, w.indexValue, 'NX']] as const));
      return writes.map((_, i) => replies[i * 2 + 1] === 'OK');
    },
    async setMany(pairs) {
      await send(pairs.map(([key, value]) => ['set', key, value] as const));
    },
    async hashSetMany(key, fields) {
      const flat = Object.entries(fields).flat();
      if (flat.length) await send([['hset', key, ...flat]]);
    },
    async deleteMany(keys) {
      await send(keys.map((key) => ['del', key] as const));
    },
  };
}

export function keyValueBatchWrites(kv: KeyValueStore): BatchWrites {
  return {
    getMany: (keys) => Promise.all(keys.map((key) => kv.get(key))),
    async createMany(writes) {
      const taken: boolean[] = [];
      for (const w of writes) {
        await kv.set(w.recordKey, w.record);
        taken.push(await kv.setIfAbsent(w.indexKey, w.indexValue));
      }
      return taken;
    },
    async setMany(pairs) {
      for (const [key, value] of pairs) await kv.set(key, value);
    },
    async hashSetMany(key, fields) {
      for (const [field, value] of Object.entries(fields)) await kv.hashSet(key, field, value);
    },
    async deleteMany(keys) {
      if (keys.length) await kv.delete(...keys);
    },
  };
}
