--[[
  Attaches a child incident to a major incident. The child-link actions go out with the attach,
  so a crash between the two can never leave a child attached here but unlinked in its own system.

  Input:
    KEYS[1] the major incident's children hash (mi:<id>:children)
    KEYS[2] its timeline list (mi:<id>:timeline)
    KEYS[3] the child record's pointer (mi:record:<incidentKey>)
    KEYS[4] the outbox list (mi:outbox)

    ARGV[1] the major incident's id
    ARGV[2] the child's incident key (its field in the children hash)
    ARGV[3] the child as JSON
    ARGV[4] the number n of timeline entries
    ARGV[5 .. 4+n] timeline entries (JSON)
    ARGV[5+n ..] outbox items (JSON)

  Output:
    1 attached
    0 already a child (nothing written)
]]
--- @include "includes/push-lists"

if redis.call('HSETNX', KEYS[1], ARGV[2], ARGV[3]) == 0 then return 0 end
redis.call('SET', KEYS[3], ARGV[1])
pushLists(4, KEYS[2], KEYS[4])
return 1
