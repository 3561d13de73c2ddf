import { assertJsonInteger, type KeyValueStore, type SetWhileOutcome } from './key-value-store.js';
import { defineScript, type RedisConnection, type Script } from './redis-connection.js';
import { guardStore } from './store-errors.js';

const INCREMENT = `
local value = redis.call('INCR', KEYS[1])
if value == 1 and tonumber(ARGV[1]) > 0 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return value
`;

// A string patch rather than cjson: cjson would turn [] into {} and print large integers in
// exponent form. Inside a JSON string every quote is escaped, so the pattern (an unescaped quote
// right after the name) only finds the field itself.
const SET_JSON_INTEGER = `
local record = redis.call('GET', KEYS[1])
if not record then return 0 end
local member = '"' .. ARGV[1] .. '":'
local patched, count = string.gsub(record, member .. '%-?%d+', member .. ARGV[2], 1)
if count == 0 then
  if string.sub(record, -1) ~= '}' then return redis.error_reply('not a JSON object') end
  local separator = ','
  if record == '{}' then separator = '' end
  patched = string.sub(record, 1, -2) .. separator .. member .. ARGV[2] .. '}'
end
redis.call('SET', KEYS[1], patched, 'KEEPTTL')
return 1
`;

const INCREMENT_BOUNDED_FIELD = `
local value = redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
if value == 1 and redis.call('HLEN', KEYS[1]) > tonumber(ARGV[2]) then
  local other = redis.call('HRANDFIELD', KEYS[1])
  while other == ARGV[1] do other = redis.call('HRANDFIELD', KEYS[1]) end
  redis.call('HDEL', KEYS[1], other)
end
return value
`;

const DELETE_IF_HOLDS = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

const DELETE_UNLESS_EXISTS = `
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
redis.call('DEL', KEYS[1])
return 1
`;

const SET_IF_ABSENT_WHILE = `
if redis.call('EXISTS', KEYS[2]) == 0 then return 'missing' end
if redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2], 'NX') then return 'set' end
return 'taken'
`;

export class RedisKeyValueStore implements KeyValueStore {
  private readonly incrementScript: Script;
  private readonly incrementBoundedFieldScript: Script;
  private readonly setJsonIntegerScript: Script;
  private readonly setIfAbsentWhileScript: Script;
  private readonly deleteIfHoldsScript: Script;
  private readonly deleteUnlessExistsScript: Script;

  readonly keepsSendingOrder: boolean;

  constructor(private readonly redis: RedisConnection) {
    // the same connection as oidc-provider's adapter (store.ts); a Cluster has one per node
    this.keepsSendingOrder = !redis.isCluster;
    this.incrementScript = defineScript(redis, 'renkeiIncrement', 1, INCREMENT);
    this.incrementBoundedFieldScript = defineScript(redis, 'renkeiIncrementBoundedField', 1, INCREMENT_BOUNDED_FIELD);
    this.setJsonIntegerScript = defineScript(redis, 'renkeiSetJsonInteger', 1, SET_JSON_INTEGER);
    this.setIfAbsentWhileScript = defineScript(redis, 'renkeiSetIfAbsentWhile', 2, SET_IF_ABSENT_WHILE);
    this.deleteIfHoldsScript = defineScript(redis, 'renkeiDeleteIfHolds', 1, DELETE_IF_HOLDS);
    this.deleteUnlessExistsScript = defineScript(redis, 'renkeiDeleteUnlessExists', 2, DELETE_UNLESS_EXISTS);
  }

  get(key: string): Promise<string | undefined> {
    return guardStore(async () => (await this.redis.get(key)) ?? undefined);
  }

  getMany(keys: readonly string[]): Promise<(string | undefined)[]> {
    return guardStore(async () => (await this.redis.mget(...keys)).map((value) => value ?? undefined));
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

  setIfAbsentElseGet(key: string, value: string): Promise<string | undefined> {
    return guardStore(async () => (await this.redis.set(key, value, 'NX', 'GET')) ?? undefined);
  }

  setIfAbsentWhile(key: string, value: string, ttlSeconds: number, requiredKey: string): Promise<SetWhileOutcome> {
    return guardStore(async () => (await this.setIfAbsentWhileScript([key, requiredKey], [value, Math.max(1, Math.ceil(ttlSeconds))])) as SetWhileOutcome);
  }

  deleteIfHolds(key: string, value: string): Promise<boolean> {
    return guardStore(async () => Number(await this.deleteIfHoldsScript([key], [value])) === 1);
  }

  deleteUnlessExists(key: string, guardKey: string): Promise<boolean> {
    return guardStore(async () => Number(await this.deleteUnlessExistsScript([key, guardKey], [])) === 1);
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

  incrementBoundedField(key: string, field: string, maxFields: number): Promise<number> {
    return guardStore(async () => Number(await this.incrementBoundedFieldScript([key], [field, Math.max(1, Math.floor(maxFields))])));
  }

  async setJsonInteger(key: string, field: string, value: number): Promise<boolean> {
    assertJsonInteger(field, value);
    return guardStore(async () => Number(await this.setJsonIntegerScript([key], [field, String(value)])) === 1);
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

  hashGetFields(key: string, fields: readonly string[]): Promise<(string | undefined)[]> {
    return guardStore(async () => (await this.redis.hmget(key, ...fields)).map((value) => value ?? undefined));
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
