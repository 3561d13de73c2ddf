/**
 * Lua scripts run atomically by Redis. Each touches keys of a single hash slot only.
 * Records are hashes: `payload` holds the JSON, `consumed` the epoch second of consumption,
 * `grant` (pointer records only) the grant that holds the real record.
 */

/** KEYS: record, index, grantRecord. ARGV: payload JSON, ttl seconds (0 = none), consumed (or ''). */
export const UPSERT_GRANT_MEMBER = `
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'payload', ARGV[1])
if ARGV[3] ~= '' then redis.call('HSET', KEYS[1], 'consumed', ARGV[3]) end
local ttl = tonumber(ARGV[2])
if ttl > 0 then redis.call('EXPIRE', KEYS[1], ttl) end
local existed = redis.call('EXISTS', KEYS[2])
local current = redis.call('TTL', KEYS[2])
redis.call('SADD', KEYS[2], KEYS[1])
if ttl == 0 then
  redis.call('PERSIST', KEYS[2])
elseif existed == 0 or (current ~= -1 and current < ttl) then
  redis.call('EXPIRE', KEYS[2], ttl)
end
return 1
`;

/** KEYS: record. ARGV: payload JSON, ttl seconds (0 = none), consumed (or ''). */
export const UPSERT_RECORD = `
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'payload', ARGV[1])
if ARGV[3] ~= '' then redis.call('HSET', KEYS[1], 'consumed', ARGV[3]) end
local ttl = tonumber(ARGV[2])
if ttl > 0 then redis.call('EXPIRE', KEYS[1], ttl) end
return 1
`;

/**
 * Marks a record consumed exactly once.
 * KEYS: record, index, grantRecord (all three the record itself for non-grantables).
 * ARGV: now (epoch seconds), '1' to revoke the whole grant when the record was already consumed.
 * Returns 1 for the first consumer, 0 for a replay, -1 when the record does not exist.
 */
export const CONSUME = `
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
if redis.call('HSETNX', KEYS[1], 'consumed', ARGV[1]) == 1 then return 1 end
if ARGV[2] == '1' then
  local members = redis.call('SMEMBERS', KEYS[2])
  for _, key in ipairs(members) do redis.call('DEL', key) end
  redis.call('DEL', KEYS[2], KEYS[3])
end
return 0
`;

/** KEYS: index. Deletes every record of the grant and the index itself. Returns how many. */
export const REVOKE_GRANT_MEMBERS = `
local members = redis.call('SMEMBERS', KEYS[1])
for _, key in ipairs(members) do redis.call('DEL', key) end
redis.call('DEL', KEYS[1])
return #members
`;

/** KEYS: record, index. Removes one grant member and its index entry. */
export const DESTROY_GRANT_MEMBER = `
redis.call('DEL', KEYS[1])
redis.call('SREM', KEYS[2], KEYS[1])
return 1
`;

/**
 * Find-or-claim for ReplayDetection. oidc-provider checks uniqueness with find-then-save; claiming
 * on find makes that atomic: the first finder gets nothing (and the claim), every concurrent one
 * sees the claim and is refused as a replay. The save that follows sets the real payload and TTL.
 * KEYS: record. ARGV: placeholder payload JSON, claim TTL seconds. Returns the hash, or {} when claimed.
 */
export const FIND_OR_CLAIM = `
if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('HGETALL', KEYS[1]) end
redis.call('HSET', KEYS[1], 'payload', ARGV[1])
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[2]))
return {}
`;
