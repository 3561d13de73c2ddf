import type { KeyValueStore, SetWhileOutcome } from './key-value-store.js';
import { defineScript, type RedisConnection, type Script } from './redis-connection.js';
import { guardStore } from './store-errors.js';

const INCREMENT = `
local value = redis.call('INCR', KEYS[1])
if value == 1 and tonumber(ARGV[1]) > 0 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return value
`;

const SET_IF_ABSENT_WHILE = `
if redis.call('EXISTS', KEYS[2]) == 0 then return 'missing' end
if redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2], 'NX') then return 'set' end
return 'taken'
`;

export class RedisKeyValueStore implements KeyValueStore {
  private readonly incrementScript: Script;
  private readonly setIfAbsentWhileScript: Script;

  constructor(private readonly redis: RedisConnection) {
    this.incrementScript = defineScript(redis, 'renkeiIncrement', 1, INCREMENT);
    this.setIfAbsentWhileScript = defineScript(redis, 'renkeiSetIfAbsentWhile', 2, SET_IF_ABSENT_WHILE);
  }

  get(key: string): Promise<string | undefined> {
    return guardStore(async () => (await this.redis.get(key)) ?? undefined);
  }

  set(key: string, value: string, ttlSeconds?: number): Promise<void> {
    return guardStore(async () => {
      if (ttlSeconds && ttlSeconds > 0) await this.redis.set(key, value, 'EX', Math.ceil(ttlSeconds));
      else await this.redis.set(key, value);
    });
  }

  setIfAbsent(key: string, value: string, ttlSeconds?: number): Promise<boolean> {
    return guardStore(async () => {
      const reply = ttlSeconds && ttlSeconds > 0
        ? await this.redis.set(key, value, 'EX', Math.ceil(ttlSeconds), 'NX')
        : await this.redis.set(key, value, 'NX');
      return reply === 'OK';
    });
  }

  setIfAbsentWhile(key: string, value: string, ttlSeconds: number, requiredKey: string): Promise<SetWhileOutcome> {
    return guardStore(async () => (await this.setIfAbsentWhileScript([key, requiredKey], [value, Math.max(1, Math.ceil(ttlSeconds))])) as SetWhileOutcome);
  }

  delete(...keys: string[]): Promise<void> {
    // one DEL per key: keys of different hash slots never share a command
    return guardStore(async () => {
      await Promise.all(keys.map((key) => this.redis.del(key)));
    });
  }

  increment(key: string, ttlSeconds?: number): Promise<number> {
    return guardStore(async () => {
      return Number(await this.incrementScript([key], [Math.ceil(ttlSeconds ?? 0)]));
    });
  }

  hashSet(key: string, field: string, value: string): Promise<void> {
    return guardStore(async () => {
      await this.redis.hset(key, field, value);
    });
  }

  hashSetFields(key: string, fields: Readonly<Record<string, string>>): Promise<void> {
    return guardStore(async () => {
      await this.redis.hset(key, fields);
    });
  }

  hashGet(key: string, field: string): Promise<string | undefined> {
    return guardStore(async () => (await this.redis.hget(key, field)) ?? undefined);
  }

  hashGetAll(key: string): Promise<Record<string, string>> {
    return guardStore(() => this.redis.hgetall(key));
  }

  hashDelete(key: string, ...fields: string[]): Promise<void> {
    return guardStore(async () => {
      await this.redis.hdel(key, ...fields);
    });
  }
}
