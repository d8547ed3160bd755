--[[
  Merges fields into a record's snapshot unless the snapshot is newer, so concurrent workers
  never lose an update and an older delivery never rolls a newer snapshot back. Equal times
  merge: a comment event and an edit can share a timestamp. The fields are a plain HSET: the
  script never decodes what a sender wrote.

  Input:
    KEYS[1] the snapshot hash (snapshot:<incidentKey>)

    ARGV[1] the event's source time (ms), kept in the field 'at'
    ARGV[2] the snapshot's time to live (seconds)
    ARGV[3 ..] field, value, field, value, … (fields 'f:<name>', values JSON)

  Output:
    1 merged
    0 the snapshot is newer (nothing written)
]]
local cur = redis.call('HGET', KEYS[1], 'at')
if cur and tonumber(cur) > tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'at', ARGV[1], unpack(ARGV, 3))
redis.call('EXPIRE', KEYS[1], ARGV[2])
return 1
