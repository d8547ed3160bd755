--[[
  Marks a member as seen and queues its actions in one step, so a crash cannot keep the mark
  without the actions, nor a retry queue them twice.

  Input:
    KEYS[1] the set of members already queued (mi:<id>:mirrored)
    KEYS[2] the outbox list (mi:outbox)

    ARGV[1] the member
    ARGV[2 ..] outbox items (JSON)

  Output:
    1 queued
    0 already seen (nothing written)
]]
if redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
for i = 2, #ARGV do redis.call('RPUSH', KEYS[2], ARGV[i]) end
return 1
