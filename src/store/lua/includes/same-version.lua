--[[
  True when the record is still the version the caller read (its `updatedAt`), so a roles
  change and a lifecycle move racing each other never overwrite one another: the loser reads
  again. An empty expected version skips the check. The version is its own field `v`; a record
  written before that field existed is decoded once more, and one cjson cannot read counts as
  changed.
]]
local function sameVersion(key, expected)
  if expected == nil or expected == '' then return true end
  local version = redis.call('HGET', key, 'v')
  if version then return version == expected end
  local data = redis.call('HGET', key, 'data')
  if not data then return false end
  local ok, decoded = pcall(cjson.decode, data)
  return ok and type(decoded) == 'table' and decoded.updatedAt == expected
end
