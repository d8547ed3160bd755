--[[
  Compare-and-set of a major incident's state, with its timeline entries and the actions they
  cause (the transactional outbox), in one step.

  Input:
    KEYS[1] the major incident's hash (mi:<id>)
    KEYS[2] its timeline list (mi:<id>:timeline)
    KEYS[3] its service's open pointer (mi:open:<service>; mi:exercise-open:<service> for a drill)
    KEYS[4] the outbox list (mi:outbox)

    ARGV[1] the major incident's id
    ARGV[2] the state expected now
    ARGV[3] the new state
    ARGV[4] the new record as JSON
    ARGV[5] the open pointer's move: 'claim' sets it (declare, reopen), 'release' clears it if
            it is ours, anything else ('keep') leaves it
    ARGV[6] the version expected now (updatedAt; '' skips the check)
    ARGV[7] the new record's version
    ARGV[8] the number n of timeline entries
    ARGV[9 .. 8+n] timeline entries (JSON)
    ARGV[9+n ..] outbox items (JSON)

  Output:
    1 applied
    0 the state or version moved meanwhile (the caller reloads and decides again)
   -1 another major incident holds the service's open pointer
]]
--- @include "includes/push-lists"
--- @include "includes/same-version"

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
