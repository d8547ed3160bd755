--[[
  Writes a major incident's record without changing its state (links, roles), if its state and
  version are still the ones the caller read.

  Input:
    KEYS[1] the major incident's hash (mi:<id>)

    ARGV[1] the state expected now
    ARGV[2] the new record as JSON
    ARGV[3] the version expected now (updatedAt; '' skips the check)
    ARGV[4] the new record's version

  Output:
    1 written
    0 the state or version moved meanwhile
]]
--- @include "includes/same-version"

if redis.call('HGET', KEYS[1], 'state') ~= ARGV[1] then return 0 end
if not sameVersion(KEYS[1], ARGV[3]) then return 0 end
redis.call('HSET', KEYS[1], 'data', ARGV[2], 'v', ARGV[4])
return 1
