import { GRANT_MEMBER_CODES } from './redis-keys.js';

/**
 * Lua scripts run atomically by Redis. Each touches keys of a single hash slot only.
 * Records are strings (record-encoding.ts): the JSON payload, led by the epoch second of its
 * consumption once consumed. Records written before that layout are hashes (`payload`,
 * `consumed`, or `grant` for a pointer); every script still reads and consumes those.
 */

const MODEL_OF_CODE = Object.entries(GRANT_MEMBER_CODES)
  .map(([model, code]) => `${code} = '${model}'`)
  .join(', ');

/** Reads a record of either layout: {value} for a string, the flat field list for a hash, {} when absent. */
const READ_HELPER = `
local function readRecord(key)
  local kind = redis.call('TYPE', key).ok
  if kind == 'string' then return { redis.call('GET', key) } end
  if kind == 'hash' then return redis.call('HGETALL', key) end
  return {}
end
`;

/**
 * Shared by the grant scripts. A grant's index is a sorted set of its members scored by expiry
 * (epoch seconds, +inf for none); its live access tokens are a capped sorted set of their own,
 * scored by precise expiry, and the used refresh tokens one scored by consumption time. A member
 * is a one-letter model code and the record's id (short enough for Redis's compact listpack
 * encoding); members written before that are the record's whole key.
 */
const GRANT_HELPERS = `
local MODEL_OF_CODE = { ${MODEL_OF_CODE} }
local function clock()
  local time = redis.call('TIME')
  return tonumber(time[1]), tonumber(time[1]) + tonumber(time[2]) / 1000000
end
-- 'renkei:{g:<id>}:' from the index key 'renkei:{g:<id>}:index'
local function grantPrefix(index)
  return string.sub(index, 1, -6)
end
local function keyOfMember(prefix, member)
  if string.find(member, '{', 1, true) then return member end
  return prefix .. MODEL_OF_CODE[string.sub(member, 1, 1)] .. ':' .. string.sub(member, 2)
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
-- a set scored by expiry lives as long as its longest member
local function expireWithLongestMember(set)
  local last = redis.call('ZRANGE', set, -1, -1, 'WITHSCORES')
  if #last == 0 then
    redis.call('DEL', set)
  elseif last[2] == 'inf' then
    redis.call('PERSIST', set)
  else
    redis.call('EXPIREAT', set, math.ceil(tonumber(last[2])) + 1)
  end
end
-- a set of some of the index's members lives as long as the index
local function expireWithIndex(set, index)
  local ttl = redis.call('PTTL', index)
  if ttl > 0 then redis.call('PEXPIRE', set, ttl) elseif ttl == -1 then redis.call('PERSIST', set) end
end
local function dropLowest(set, index, cap, dropped)
  local excess = redis.call('ZCARD', set) - cap
  if excess <= 0 then return end
  local prefix = grantPrefix(index)
  for _, member in ipairs(redis.call('ZRANGE', set, 0, excess - 1)) do
    local key = keyOfMember(prefix, member)
    redis.call('DEL', key)
    redis.call('ZREM', index, member)
    table.insert(dropped, key)
  end
  redis.call('ZREMRANGEBYRANK', set, 0, excess - 1)
end
-- the grant record's payload (either layout), or nil
local function grantFields(key)
  local kind = redis.call('TYPE', key).ok
  local json
  if kind == 'string' then json = redis.call('GET', key) elseif kind == 'hash' then json = redis.call('HGET', key, 'payload') end
  if not json then return nil end
  local open = string.find(json, '{', 1, true)
  if not open then return nil end
  local ok, grant = pcall(cjson.decode, string.sub(json, open))
  if ok and type(grant) == 'table' then return grant end
  return nil
end
local function revokeAll(index, live, others)
  local prefix = grantPrefix(index)
  local count = 0
  for _, set in ipairs({ index, live }) do
    for _, member in ipairs(redis.call('ZRANGE', set, 0, -1)) do
      redis.call('DEL', keyOfMember(prefix, member))
      count = count + 1
    end
  end
  redis.call('DEL', index, live, unpack(others))
  return count
end
`;

/**
 * Writes one record of a grant and tracks it: an uncapped model in the index, a capped one
 * (access tokens) in its live set, which then ends its members beyond the cap that expire soonest
 * (the oldest: they all live as long). Drops expired members of the set written to. A value
 * written without `accountId` and `clientId` is stored so only when the grant holds the same;
 * otherwise (another grant's, or no grant) they are put back first.
 * KEYS: record, index, live set of the capped model, grant record. ARGV: stored value, ttl seconds
 * (0 = none), member, cap (0 = none), the JSON members left out of the value ('' = none).
 * Returns the record keys dropped by the cap.
 */
export const UPSERT_GRANT_MEMBER = GRANT_HELPERS + `
upgradeIndex(KEYS[2])
local now, preciseNow = clock()
local ttl = tonumber(ARGV[2])
local value = ARGV[1]
if ARGV[5] ~= '' then
  local left = cjson.decode('{' .. ARGV[5] .. '}')
  local grant = grantFields(KEYS[4])
  if not grant or grant.accountId ~= left.accountId or grant.clientId ~= left.clientId then
    local open = string.find(value, '{', 1, true)
    local rest = string.sub(value, open + 1)
    value = string.sub(value, 1, open) .. ARGV[5] .. (rest == '}' and '' or ',') .. rest
  end
end
if ttl > 0 then redis.call('SET', KEYS[1], value, 'EX', ttl) else redis.call('SET', KEYS[1], value) end
local dropped = {}
local cap = tonumber(ARGV[4])
if cap > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
  redis.call('ZADD', KEYS[3], ttl > 0 and preciseNow + ttl or '+inf', ARGV[3])
  dropLowest(KEYS[3], KEYS[2], cap, dropped)
  expireWithLongestMember(KEYS[3])
else
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
  redis.call('ZADD', KEYS[2], ttl > 0 and now + ttl or '+inf', ARGV[3])
  expireWithLongestMember(KEYS[2])
end
return dropped
`;

/** KEYS: a grant member, its grant record. Both read together (the grant is what oidc-provider reads next). */
export const FIND_GRANT_MEMBER = READ_HELPER + `
local member = readRecord(KEYS[1])
if #member == 0 then return { member, {} } end
return { member, readRecord(KEYS[2]) }
`;

/**
 * Marks a record consumed exactly once.
 * KEYS: record, grant record, index, the grant's live access tokens, its used refresh tokens (all
 * five the record itself for non-grantables).
 * ARGV: now (epoch seconds), '1' to revoke the whole grant when the record was already consumed,
 * how many consumed records of this model the grant keeps (0 = all; they go into the used set),
 * the record's member in its grant, and the JSON list of the payload fields a consumed record
 * keeps ('' = all: a replay must pass every check made before `consumed` to be detected).
 * Returns {1, dropped keys...} for the first consumer, {0} for a replay, {-1} when the record does not exist.
 */
export const CONSUME = GRANT_HELPERS + `
local kind = redis.call('TYPE', KEYS[1]).ok
if kind == 'none' then return { -1 } end
upgradeIndex(KEYS[3])
local first
if kind == 'hash' then
  first = redis.call('HSETNX', KEYS[1], 'consumed', ARGV[1]) == 1
else
  local value = redis.call('GET', KEYS[1])
  first = string.sub(value, 1, 1) == '{'
  if first then
    if ARGV[5] ~= '' then
      local full = cjson.decode(value)
      local kept = {}
      for _, field in ipairs(cjson.decode(ARGV[5])) do kept[field] = full[field] end
      value = cjson.encode(kept)
    end
    redis.call('SET', KEYS[1], ARGV[1] .. value, 'KEEPTTL')
  end
end
if first then
  local outcome = { 1 }
  local keep = tonumber(ARGV[3])
  if keep > 0 then
    local _, preciseNow = clock()
    redis.call('ZADD', KEYS[5], preciseNow, ARGV[4])
    dropLowest(KEYS[5], KEYS[3], keep, outcome)
    expireWithLongestMember(KEYS[3])
    expireWithIndex(KEYS[5], KEYS[3])
  end
  return outcome
end
if ARGV[2] == '1' then revokeAll(KEYS[3], KEYS[4], { KEYS[2], KEYS[5] }) end
return { 0 }
`;

/** KEYS: index, live access tokens, used refresh tokens. Deletes every record of the grant and its sets. Returns how many. */
export const REVOKE_GRANT_MEMBERS = GRANT_HELPERS + `
upgradeIndex(KEYS[1])
return revokeAll(KEYS[1], KEYS[2], { KEYS[3] })
`;

/** KEYS: record, index, live access tokens, used refresh tokens. ARGV: member. Removes one grant member and its entries (either form). */
export const DESTROY_GRANT_MEMBER = GRANT_HELPERS + `
upgradeIndex(KEYS[2])
redis.call('DEL', KEYS[1])
for i = 2, 4 do redis.call('ZREM', KEYS[i], ARGV[1], KEYS[1]) end
return 1
`;

/**
 * Find-or-claim for ReplayDetection. oidc-provider checks uniqueness with find-then-save; claiming
 * on find makes that atomic: the first finder gets nothing (and the claim), every concurrent one
 * sees the claim and is refused as a replay. The save that follows sets the real payload and TTL.
 * KEYS: record. ARGV: placeholder value, claim TTL seconds. Returns the record (as readRecord), or {} when claimed.
 */
export const FIND_OR_CLAIM = READ_HELPER + `
local stored = readRecord(KEYS[1])
if #stored > 0 then return stored end
redis.call('SET', KEYS[1], ARGV[1], 'EX', tonumber(ARGV[2]))
return {}
`;
