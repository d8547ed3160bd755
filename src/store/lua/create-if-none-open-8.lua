--[[
  Creates a major incident unless its service already has an open one, with its first timeline
  entries and the actions they cause (the transactional outbox), in one step.

  Input:
    KEYS[1] the service's open pointer (mi:open:<service>; mi:exercise-open:<service> for a drill)
    KEYS[2] the major incident's hash (mi:<id>)
    KEYS[3] its children hash (mi:<id>:children)
    KEYS[4] its timeline list (mi:<id>:timeline)
    KEYS[5] the creation index, a sorted set (mi:index)
    KEYS[6] the service's last pointer (mi:last:<service>; mi:exercise-last:<service> for a drill)
    KEYS[7] the origin record's pointer (mi:record:<incidentKey>)
    KEYS[8] the outbox list (mi:outbox)

    ARGV[1] the major incident's id
    ARGV[2] its state
    ARGV[3] its record as JSON
    ARGV[4] its creation time (ms), the index score
    ARGV[5] the origin record's incident key (its field in the children hash)
    ARGV[6] the origin record as JSON (the child)
    ARGV[7] the record's version (its updatedAt)
    ARGV[8] the number n of timeline entries
    ARGV[9 .. 8+n] timeline entries (JSON)
    ARGV[9+n ..] outbox items (JSON)

  Output:
    the id of the open major incident: ARGV[1] when created, another id when one was open
]]
--- @include "includes/push-lists"

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
