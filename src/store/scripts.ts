import { readFileSync } from 'node:fs';
import type { RedisClient } from '../lib/redis-client.ts';

/**
 * The Lua scripts in `lua/`, BullMQ's way: one script a file named `<name>-<numberOfKeys>.lua`,
 * whose header lists every KEYS and ARGV entry and every return value. A line
 * `--- @include "includes/<name>"` is replaced by that file (shared Lua functions).
 *
 * Each runs atomically in Redis, so concurrent processes never lose an update. Every key shares
 * the prefix's hash tag, so the scripts also work on Redis Cluster. The files are read once,
 * when this module loads, relative to this file (not the working directory).
 */
export interface LuaScript {
  readonly name: string;
  readonly numberOfKeys: number;
  readonly lua: string;
}

const DIR = new URL('./lua/', import.meta.url);
const INCLUDE = /^--- @include "([a-z0-9/-]+)"$/gm;
const FILE_NAME = /^([a-z0-9-]+)-(\d+)\.lua$/;

const read = (file: string) => readFileSync(new URL(file, DIR), 'utf8');

export function loadScript(file: string): LuaScript {
  const parts = FILE_NAME.exec(file);
  if (!parts) throw new Error(`${file}: a Lua script is named <name>-<numberOfKeys>.lua`);
  return {
    name: parts[1]!,
    numberOfKeys: Number(parts[2]),
    lua: read(file).replace(INCLUDE, (_, name: string) => read(`${name}.lua`)),
  };
}

export const SCRIPTS = {
  createIfNoneOpen: loadScript('create-if-none-open-8.lua'),
  attachChild: loadScript('attach-child-4.lua'),
  transition: loadScript('transition-4.lua'),
  patchIfState: loadScript('patch-if-state-1.lua'),
  enqueueOnce: loadScript('enqueue-once-2.lua'),
  mergeSnapshotIfNewer: loadScript('merge-snapshot-if-newer-1.lua'),
  touchWindow: loadScript('touch-window-2.lua'),
  consumeFingerprints: loadScript('consume-fingerprints-1.lua'),
  recordConfigVersion: loadScript('record-config-version-4.lua'),
  releaseLockIfOurs: loadScript('release-lock-if-ours-1.lua'),
} as const satisfies Record<string, LuaScript>;

type ScriptCommand = (...keysAndArgs: Array<string | number>) => Promise<unknown>;

/** The connections each script is defined on; WeakMap, so a closed connection is not kept alive. */
const defined = new WeakMap<RedisClient, Set<string>>();

/**
 * The script as an ioredis custom command on this connection: EVALSHA with the script's SHA-1,
 * and EVAL once when Redis answers NOSCRIPT (a restarted or flushed Redis), as ioredis does for
 * every defineCommand. Sending the body with EVAL on every call cost the events worker about a
 * sixth of its CPU (writing the bodies to the socket) and Redis the parsing and hashing of them
 * (docs/benchmarks.md#profile).
 */
function command(redis: RedisClient, script: LuaScript): ScriptCommand {
  const name = `mim:${script.name}`;
  let names = defined.get(redis);
  if (!names) {
    names = new Set();
    defined.set(redis, names);
  }
  if (!names.has(name)) {
    redis.defineCommand(name, { numberOfKeys: script.numberOfKeys, lua: script.lua });
    names.add(name);
  }
  const fn = (redis as unknown as Record<string, ScriptCommand>)[name]!;
  return fn.bind(redis);
}

/** Runs a script; a call with another number of keys than its file name says is a bug, refused before Redis sees it. */
export function runScript(
  redis: RedisClient,
  script: LuaScript,
  keys: readonly string[],
  args: ReadonlyArray<string | number>,
): Promise<unknown> {
  if (keys.length !== script.numberOfKeys)
    throw new Error(`${script.name}: ${keys.length} keys given, its file name says ${script.numberOfKeys}`);
  return command(redis, script)(...keys, ...args);
}
