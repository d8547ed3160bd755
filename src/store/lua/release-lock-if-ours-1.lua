--[[
  Releases a lock only if it is still ours (it may have expired and been taken by another run).

  Input:
    KEYS[1] the lock (reconcile:lock)

    ARGV[1] the token this run set

  Output:
    1 released
    0 not ours (or gone)
]]
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
