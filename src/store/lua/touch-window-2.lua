--[[
  Counts an event in a sliding window and returns the window's facts as of the event's time.
  Members are incident keys, so repeated updates of one incident count once.

  Input:
    KEYS[1] the window's incidents, a sorted set (window:<window>:<service>:incidents)
    KEYS[2] the window's callers, a sorted set (window:<window>:<service>:callers)

    ARGV[1] the event's source time (ms), the members' score
    ARGV[2] the window's duration (ms)
    ARGV[3] the wall clock now (ms), for trimming
    ARGV[4] the incident key to count ('' when the event does not match the window)
    ARGV[5] the caller to count ('' for none)

  Output:
    { incidents in the window, distinct callers in the window }
]]
local at = tonumber(ARGV[1])
local duration = tonumber(ARGV[2])
local nowWall = tonumber(ARGV[3])
if ARGV[4] ~= '' then redis.call('ZADD', KEYS[1], at, ARGV[4]) end
if ARGV[5] ~= '' then redis.call('ZADD', KEYS[2], at, ARGV[5]) end
-- Trim by wall clock with one window of slack, so a late delivery still finds its neighbours.
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', nowWall - 2 * duration)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', nowWall - 2 * duration)
redis.call('PEXPIRE', KEYS[1], 2 * duration + 60000)
redis.call('PEXPIRE', KEYS[2], 2 * duration + 60000)
local from = at - duration
return { redis.call('ZCOUNT', KEYS[1], from, '+inf'), redis.call('ZCOUNT', KEYS[2], from, '+inf') }
