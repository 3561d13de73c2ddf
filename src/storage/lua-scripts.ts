/**
 * Lua scripts run atomically by Redis. Each touches keys of a single hash slot only.
 * Records are hashes: `payload` holds the JSON, `consumed` the epoch second of consumption,
 * `grant` (pointer records only) the grant that holds the real record.
 */

/**
 * Shared by the grant scripts. A grant's index is a sorted set of its record keys scored by expiry
 * (epoch seconds, +inf for none); capped sets hold a subset scored by age and drop their oldest.
 */
const GRANT_HELPERS = `
local function clock()
  local time = redis.call('TIME')
  return tonumber(time[1]), tonumber(time[1]) + tonumber(time[2]) / 1000000
end
-- indexes written before the sorted set were plain sets: convert one the first time it is touched
local function upgradeIndex(index)
  if redis.call('TYPE', index).ok ~= 'set' then return end
  local now = clock()
  local members = redis.call('SMEMBERS', index)
  redis.call('DEL', index)
  for _, key in ipairs(members) do
    local ttl = redis.call('TTL', key)
    if ttl == -1 then redis.call('ZADD', index, '+inf', key) elseif ttl > 0 then redis.call('ZADD', index, now + ttl, key) end
  end
end
local function keepIndexAsLongAsItsLongestMember(index, capped)
  local last = redis.call('ZRANGE', index, -1, -1, 'WITHSCORES')
  if #last == 0 then
    redis.call('DEL', index)
  elseif last[2] == 'inf' then
    redis.call('PERSIST', index)
  else
    redis.call('EXPIREAT', index, math.ceil(tonumber(last[2])) + 1)
  end
  for _, set in ipairs(capped) do
    local ttl = redis.call('PTTL', index)
    if ttl > 0 then redis.call('PEXPIRE', set, ttl) elseif ttl == -1 then redis.call('PERSIST', set) end
  end
end
local function dropOldest(set, index, cap, dropped)
  local excess = redis.call('ZCARD', set) - cap
  if excess <= 0 then return end
  for _, key in ipairs(redis.call('ZRANGE', set, 0, excess - 1)) do
    redis.call('DEL', key)
    redis.call('ZREM', index, key)
    table.insert(dropped, key)
  end
  redis.call('ZREMRANGEBYRANK', set, 0, excess - 1)
end
local function revokeAll(index, others)
  local members = redis.call('ZRANGE', index, 0, -1)
  for _, key in ipairs(members) do redis.call('DEL', key) end
  redis.call('DEL', index, unpack(others))
  return #members
end
`;

/**
 * Writes one record of a grant and indexes it; drops the index's expired members, and when the
 * model is capped the grant's oldest live records of that model beyond the cap.
 * KEYS: record, index, capped set of the model. ARGV: payload JSON, ttl seconds (0 = none),
 * consumed (or ''), cap (0 = none). Returns the record keys dropped by the cap.
 */
export const UPSERT_GRANT_MEMBER = GRANT_HELPERS + `
upgradeIndex(KEYS[2])
local now, preciseNow = clock()
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'payload', ARGV[1])
if ARGV[3] ~= '' then redis.call('HSET', KEYS[1], 'consumed', ARGV[3]) end
local ttl = tonumber(ARGV[2])
local expiresAt = '+inf'
if ttl > 0 then
  redis.call('EXPIRE', KEYS[1], ttl)
  expiresAt = now + ttl
end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
redis.call('ZADD', KEYS[2], expiresAt, KEYS[1])
local dropped = {}
local cap = tonumber(ARGV[4])
if cap > 0 then
  redis.call('ZADD', KEYS[3], preciseNow, KEYS[1])
  dropOldest(KEYS[3], KEYS[2], cap, dropped)
  keepIndexAsLongAsItsLongestMember(KEYS[2], { KEYS[3] })
else
  keepIndexAsLongAsItsLongestMember(KEYS[2], {})
end
return dropped
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

/** KEYS: a grant member, its grant record. Both hashes, read together (the grant is what oidc-provider reads next). */
export const FIND_GRANT_MEMBER = `
local member = redis.call('HGETALL', KEYS[1])
if #member == 0 then return { member, {} } end
return { member, redis.call('HGETALL', KEYS[2]) }
`;

/** KEYS: pointer. ARGV: grant id, ttl seconds (0 = none). Says which grant holds the record, in one command. */
export const UPSERT_POINTER = `
redis.call('HSET', KEYS[1], 'grant', ARGV[1])
local ttl = tonumber(ARGV[2])
if ttl > 0 then redis.call('EXPIRE', KEYS[1], ttl) end
return 1
`;

/**
 * Marks a record consumed exactly once.
 * KEYS: record, grant record, index, the grant's live access tokens, its used refresh tokens (all
 * five the record itself for non-grantables).
 * ARGV: now (epoch seconds), '1' to revoke the whole grant when the record was already consumed,
 * how many consumed records of this model the grant keeps (0 = all; they go into the used set).
 * Returns {1, dropped keys...} for the first consumer, {0} for a replay, {-1} when the record does not exist.
 */
export const CONSUME = GRANT_HELPERS + `
if redis.call('EXISTS', KEYS[1]) == 0 then return { -1 } end
upgradeIndex(KEYS[3])
if redis.call('HSETNX', KEYS[1], 'consumed', ARGV[1]) == 1 then
  local outcome = { 1 }
  local keep = tonumber(ARGV[3])
  if keep > 0 then
    local _, preciseNow = clock()
    redis.call('ZADD', KEYS[5], preciseNow, KEYS[1])
    dropOldest(KEYS[5], KEYS[3], keep, outcome)
    keepIndexAsLongAsItsLongestMember(KEYS[3], { KEYS[5] })
  end
  return outcome
end
if ARGV[2] == '1' then revokeAll(KEYS[3], { KEYS[2], KEYS[4], KEYS[5] }) end
return { 0 }
`;

/** KEYS: index, live access tokens, used refresh tokens. Deletes every record of the grant and its sets. Returns how many. */
export const REVOKE_GRANT_MEMBERS = GRANT_HELPERS + `
upgradeIndex(KEYS[1])
return revokeAll(KEYS[1], { KEYS[2], KEYS[3] })
`;

/** KEYS: record, index, live access tokens, used refresh tokens. Removes one grant member and its index entries. */
export const DESTROY_GRANT_MEMBER = GRANT_HELPERS + `
upgradeIndex(KEYS[2])
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], KEYS[1])
redis.call('ZREM', KEYS[3], KEYS[1])
redis.call('ZREM', KEYS[4], KEYS[1])
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
