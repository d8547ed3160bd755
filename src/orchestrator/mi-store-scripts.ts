/**
 * Lua scripts of the major-incident store. Each runs atomically in Redis, so concurrent worker
 * processes never lose an update and never open two major incidents for one outage. A state
 * change and the actions it causes are written together: the actions go to an outbox list in
 * the same script (a transactional outbox), from which they are moved to the action queues.
 * Every key shares the `{mim}` hash tag, so the scripts also work on Redis Cluster.
 */

/** ARGV lists arrive as a JSON array of already-encoded strings, pushed verbatim (cjson would turn [] into {}). */
const PUSH_ALL = `
local function pushAll(key, json)
  for _, item in ipairs(cjson.decode(json)) do redis.call('RPUSH', key, item) end
end
`;

/**
 * The record is still the version the caller read (its \`updatedAt\`), so a roles change and a
 * lifecycle move racing each other never overwrite one another: the loser reads again. An empty
 * expected version skips the check.
 */
const SAME_VERSION = `
local function sameVersion(key, expected)
  if expected == nil or expected == '' then return true end
  local data = redis.call('HGET', key, 'data')
  if not data then return false end
  return cjson.decode(data).updatedAt == expected
end
`;

/** KEYS: open, mi, children, timeline, index, last, record, outbox · ARGV: id, state, data, createdAtMs, recordKeyMember, child, entries[], outbox[] */
export const CREATE_IF_NONE_OPEN = `${PUSH_ALL}
local existing = redis.call('GET', KEYS[1])
if existing then return existing end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[2], 'state', ARGV[2], 'data', ARGV[3])
redis.call('ZADD', KEYS[5], ARGV[4], ARGV[1])
redis.call('SET', KEYS[6], ARGV[1])
redis.call('SET', KEYS[7], ARGV[1])
redis.call('HSET', KEYS[3], ARGV[5], ARGV[6])
pushAll(KEYS[4], ARGV[7])
pushAll(KEYS[8], ARGV[8])
return ARGV[1]
`;

/**
 * KEYS: children, timeline, record, outbox · ARGV: id, member, childJson, entries[], outbox[]
 * → 1 attached, 0 already a child. The child-link actions go out with the attach, so a crash
 * between the two can never leave a child attached here but unlinked in its own system.
 */
export const ATTACH_CHILD = `${PUSH_ALL}
if redis.call('HSETNX', KEYS[1], ARGV[2], ARGV[3]) == 0 then return 0 end
redis.call('SET', KEYS[3], ARGV[1])
pushAll(KEYS[2], ARGV[4])
pushAll(KEYS[4], ARGV[5])
return 1
`;

/**
 * Compare-and-set of the state. KEYS: mi, timeline, open, outbox · ARGV: id, fromState, toState, data, openOp, entries[], outbox[]
 * openOp: 'claim' sets the service's open pointer (declare, reopen), 'release' clears it if it is ours.
 * → 1 applied, 0 the state moved meanwhile (the caller reloads and decides again), -1 another MI holds the service.
 */
export const TRANSITION = `${PUSH_ALL}${SAME_VERSION}
if redis.call('HGET', KEYS[1], 'state') ~= ARGV[2] then return 0 end
if not sameVersion(KEYS[1], ARGV[8]) then return 0 end
if ARGV[5] == 'claim' then
  local holder = redis.call('GET', KEYS[3])
  if holder and holder ~= ARGV[1] then return -1 end
  redis.call('SET', KEYS[3], ARGV[1])
elseif ARGV[5] == 'release' then
  if redis.call('GET', KEYS[3]) == ARGV[1] then redis.call('DEL', KEYS[3]) end
end
redis.call('HSET', KEYS[1], 'state', ARGV[3], 'data', ARGV[4])
pushAll(KEYS[2], ARGV[6])
pushAll(KEYS[4], ARGV[7])
return 1
`;

/** KEYS: mi · ARGV: expectedState, data → 1 written, 0 state moved. For patches that keep the state (links, roles). */
export const PATCH_IF_STATE = `${SAME_VERSION}
if redis.call('HGET', KEYS[1], 'state') ~= ARGV[1] then return 0 end
if not sameVersion(KEYS[1], ARGV[3]) then return 0 end
redis.call('HSET', KEYS[1], 'data', ARGV[2])
return 1
`;
