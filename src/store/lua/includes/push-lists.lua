--[[
  Pushes two lists that arrive as plain arguments at the end of ARGV: ARGV[at] is the length
  of the first list (timeline entries), the next that many are its items, and everything after
  them is the second list (outbox items). Each item is already-encoded JSON pushed verbatim:
  nothing here decodes text that holds what a sender wrote, so no value cjson would refuse can
  fail a script.
]]
local function pushLists(at, first, second)
  local n = tonumber(ARGV[at])
  for i = at + 1, at + n do redis.call('RPUSH', first, ARGV[i]) end
  for i = at + n + 1, #ARGV do redis.call('RPUSH', second, ARGV[i]) end
end
