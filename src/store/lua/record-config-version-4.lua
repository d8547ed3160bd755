--[[
  Stores a config version's files once (content-addressed), pushes its history entry, trims
  the history, drops the files of versions no longer in it, marks the version active and
  announces it, in one step so two processes never interleave. A history line that is not
  JSON is skipped, not fatal: it would otherwise refuse every new version.

  Input:
    KEYS[1] the active version (config:active)
    KEYS[2] the history list, newest first (config:history)
    KEYS[3] this version's files (config:files:<id>)
    KEYS[4] the ids whose files are stored, a set (config:file-index)

    ARGV[1] the version id
    ARGV[2] the history entry as JSON (its 'previous' is set here)
    ARGV[3] the version's files as JSON
    ARGV[4] '1': do nothing when the version is already active (a reload of unchanged files)
    ARGV[5] how many history entries are kept
    ARGV[6] the pub/sub channel that announces it (config:activated)
    ARGV[7] the files keys' prefix (config:files:), to delete the files of dropped versions

  Output:
    { 0, the active id } nothing written (ARGV[4] is '1' and the version is active)
    { 1, the previously active id, '' when none } recorded, activated and announced
]]
local prev = redis.call('GET', KEYS[1])
if ARGV[4] == '1' and prev == ARGV[1] then return {0, prev} end
local entry = cjson.decode(ARGV[2])
entry['previous'] = prev or cjson.null
redis.call('SET', KEYS[3], ARGV[3])
redis.call('SADD', KEYS[4], ARGV[1])
redis.call('LPUSH', KEYS[2], cjson.encode(entry))
redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[5]) - 1)
redis.call('SET', KEYS[1], ARGV[1])
local live = {}
for _, raw in ipairs(redis.call('LRANGE', KEYS[2], 0, -1)) do
  local ok, e = pcall(cjson.decode, raw)
  if ok and type(e) == 'table' and type(e['id']) == 'string' then live[e['id']] = true end
end
for _, id in ipairs(redis.call('SMEMBERS', KEYS[4])) do
  if not live[id] then
    redis.call('DEL', ARGV[7] .. id)
    redis.call('SREM', KEYS[4], id)
  end
end
redis.call('PUBLISH', ARGV[6], ARGV[1])
return {1, prev or ''}
