/**
 * Lua scripts of the major-incident store. Each runs atomically in Redis, so concurrent worker
 * processes never lose an update and never open two major incidents for one outage.
 * Every key shares the `{mim}` hash tag, so the scripts also work on Redis Cluster.
 */

/** KEYS: open, mi, children, timeline, index, last, record · ARGV: id, state, data, createdAtMs, recordKeyMember, entries... */
export const CREATE_IF_NONE_OPEN = `
local existing = redis.call('GET', KEYS[1])
if existing then return existing end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[2], 'state', ARGV[2], 'data', ARGV[3])
redis.call('ZADD', KEYS[5], ARGV[4], ARGV[1])
redis.call('SET', KEYS[6], ARGV[1])
redis.call('SET', KEYS[7], ARGV[1])
redis.call('HSET', KEYS[3], ARGV[5], ARGV[6])
for i = 7, #ARGV do redis.call('RPUSH', KEYS[4], ARGV[i]) end
return ARGV[1]
`;

/** KEYS: children, timeline, record · ARGV: id, member, childJson, entries... → 1 attached, 0 already a child */
export const ATTACH_CHILD = `
if redis.call('HSETNX', KEYS[1], ARGV[2], ARGV[3]) == 0 then return 0 end
redis.call('SET', KEYS[3], ARGV[1])
for i = 4, #ARGV do redis.call('RPUSH', KEYS[2], ARGV[i]) end
return 1
`;

/**
 * Compare-and-set of the state. KEYS: mi, timeline, open · ARGV: id, fromState, toState, data, openOp, entries...
 * openOp: 'claim' sets the service's open pointer (declare, reopen), 'release' clears it if it is ours.
 * → 1 applied, 0 the state moved meanwhile (the caller reloads and decides again), -1 another MI holds the service.
 */
export const TRANSITION = `
if redis.call('HGET', KEYS[1], 'state') ~= ARGV[2] then return 0 end
if ARGV[5] == 'claim' then
  local holder = redis.call('GET', KEYS[3])
  if holder and holder ~= ARGV[1] then return -1 end
  redis.call('SET', KEYS[3], ARGV[1])
elseif ARGV[5] == 'release' then
  if redis.call('GET', KEYS[3]) == ARGV[1] then redis.call('DEL', KEYS[3]) end
end
redis.call('HSET', KEYS[1], 'state', ARGV[3], 'data', ARGV[4])
for i = 6, #ARGV do redis.call('RPUSH', KEYS[2], ARGV[i]) end
return 1
`;

/** KEYS: mi · ARGV: expectedState, data → 1 written, 0 state moved. For patches that keep the state (links, roles). */
export const PATCH_IF_STATE = `
if redis.call('HGET', KEYS[1], 'state') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'data', ARGV[2])
return 1
`;
