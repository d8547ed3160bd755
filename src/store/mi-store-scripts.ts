/**
 * Lua scripts of the major-incident store. Each runs atomically in Redis, so concurrent worker
 * processes never lose an update and never open two major incidents for one outage. A state
 * change and the actions it causes are written together: the actions go to an outbox list in
 * the same script (a transactional outbox), from which they are moved to the action queues.
 * Every key shares the `{mim}` hash tag, so the scripts also work on Redis Cluster.
 */

/**
 * Two lists arrive as plain arguments at the end of ARGV: their first element is the length of
 * the first list (timeline entries), and everything after that list is the second (outbox
 * items). Each item is already-encoded JSON pushed verbatim: nothing here decodes text that
 * holds what a sender wrote, so no value cjson would refuse can fail a script.
 */
const PUSH_LISTS = `
local function pushLists(at, first, second)
  local n = tonumber(ARGV[at])
  for i = at + 1, at + n do redis.call('RPUSH', first, ARGV[i]) end
  for i = at + n + 1, #ARGV do redis.call('RPUSH', second, ARGV[i]) end
end
`;

/**
 * The record is still the version the caller read (its \`updatedAt\`), so a roles change and a
 * lifecycle move racing each other never overwrite one another: the loser reads again. An empty
 * expected version skips the check. The version is its own field \`v\`; a record written before
 * that field existed is decoded once more, and one cjson cannot read counts as changed.
 */
const SAME_VERSION = `
local function sameVersion(key, expected)
  if expected == nil or expected == '' then return true end
  local version = redis.call('HGET', key, 'v')
  if version then return version == expected end
  local data = redis.call('HGET', key, 'data')
  if not data then return false end
  local ok, decoded = pcall(cjson.decode, data)
  return ok and type(decoded) == 'table' and decoded.updatedAt == expected
end
`;

/** KEYS: open, mi, children, timeline, index, last, record, outbox · ARGV: id, state, data, createdAtMs, recordKeyMember, child, version, #entries, entries…, outbox… */
export const CREATE_IF_NONE_OPEN = `${PUSH_LISTS}
local existing = redis.call('GET', KEYS[1])
if existing then return existing end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[2], 'state', ARGV[2], 'data', ARGV[3], 'v', ARGV[7])
redis.call('ZADD', KEYS[5], ARGV[4], ARGV[1])
redis.call('SET', KEYS[6], ARGV[1])
redis.call('SET', KEYS[7], ARGV[1])
redis.call('HSET', KEYS[3], ARGV[5], ARGV[6])
pushLists(8, KEYS[4], KEYS[8])
return ARGV[1]
`;

/**
 * KEYS: children, timeline, record, outbox · ARGV: id, member, childJson, #entries, entries…, outbox…
 * → 1 attached, 0 already a child. The child-link actions go out with the attach, so a crash
 * between the two can never leave a child attached here but unlinked in its own system.
 */
export const ATTACH_CHILD = `${PUSH_LISTS}
if redis.call('HSETNX', KEYS[1], ARGV[2], ARGV[3]) == 0 then return 0 end
redis.call('SET', KEYS[3], ARGV[1])
pushLists(4, KEYS[2], KEYS[4])
return 1
`;

/**
 * Compare-and-set of the state. KEYS: mi, timeline, open, outbox · ARGV: id, fromState, toState, data, openOp, expectedVersion, version, #entries, entries…, outbox…
 * openOp: 'claim' sets the service's open pointer (declare, reopen), 'release' clears it if it is ours.
 * → 1 applied, 0 the state moved meanwhile (the caller reloads and decides again), -1 another MI holds the service.
 */
export const TRANSITION = `${PUSH_LISTS}${SAME_VERSION}
if redis.call('HGET', KEYS[1], 'state') ~= ARGV[2] then return 0 end
if not sameVersion(KEYS[1], ARGV[6]) then return 0 end
if ARGV[5] == 'claim' then
  local holder = redis.call('GET', KEYS[3])
  if holder and holder ~= ARGV[1] then return -1 end
  redis.call('SET', KEYS[3], ARGV[1])
elseif ARGV[5] == 'release' then
  if redis.call('GET', KEYS[3]) == ARGV[1] then redis.call('DEL', KEYS[3]) end
end
redis.call('HSET', KEYS[1], 'state', ARGV[3], 'data', ARGV[4], 'v', ARGV[7])
pushLists(8, KEYS[2], KEYS[4])
return 1
`;

/** KEYS: mi · ARGV: expectedState, data, expectedVersion, version → 1 written, 0 state moved. For patches that keep the state (links, roles). */
export const PATCH_IF_STATE = `${SAME_VERSION}
if redis.call('HGET', KEYS[1], 'state') ~= ARGV[1] then return 0 end
if not sameVersion(KEYS[1], ARGV[3]) then return 0 end
redis.call('HSET', KEYS[1], 'data', ARGV[2], 'v', ARGV[4])
return 1
`;

/**
 * KEYS: seen set, outbox · ARGV: member, items… → 1 queued, 0 already seen. Marks and queues in
 * one step, so a crash cannot keep the mark without the actions, nor a retry queue them twice.
 */
export const ENQUEUE_ONCE = `
if redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
for i = 2, #ARGV do redis.call('RPUSH', KEYS[2], ARGV[i]) end
return 1
`;
