--[[
  Consumes every given fingerprint that is present, so each explains one echo of our own
  write, not a later human edit.

  Input:
    KEYS[1] the record's fingerprint set (fp:<recordKey>)

    ARGV[1 ..] fingerprints (`field=digest`)

  Output:
    the positions (1-based, as strings) of the fingerprints that were present
]]
local hit = {}
for i, m in ipairs(ARGV) do
  if redis.call('SREM', KEYS[1], m) == 1 then hit[#hit + 1] = tostring(i) end
end
return hit
