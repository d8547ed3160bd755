// The Node launcher behind every entry point (bin/mim-bridge.js, scripts/test.js): on a Node older
// than the project needs, it fetches Node 24 once from the npm registry (the `node` package) into
// the user's cache and re-runs the same command with it. Plain JavaScript that runs on Node >= 18,
// since it runs before we know which Node this is. The decisions are in ./node-decision.js.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, realpathSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  atLeast,
  cachedNodeBinDir,
  decide,
  FAKE_VERSION_VAR,
  FETCHED_NODE_PACKAGE,
  NEEDED_NODE,
  nodeCacheDir,
  rerunEnv,
} from './node-decision.js';

/** A fetch of Node 24 that failed; the message says why and what to do instead. */
export class NodeFetchError extends Error {
  constructor(message) {
    super(message);
    this.name = 'NodeFetchError';
    this.code = 'NODE_FETCH_FAILED';
  }
}

/** The version of the cached Node, or undefined when there is none that runs. */
function cachedVersion(cacheDir) {
  const node = path.join(cachedNodeBinDir(cacheDir), 'node');
  if (!existsSync(node)) return undefined;
  try {
    return execFileSync(node, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

/** npm of the Node that runs: the one `npm run` started us with, else the one on PATH. */
function npmCommand() {
  const cli = process.env.npm_execpath;
  if (cli && /npm-cli\.js$/.test(cli)) return { file: process.execPath, args: [cli] };
  return { file: process.platform === 'win32' ? 'npm.cmd' : 'npm', args: [] };
}

/**
 * Installs node@24 into a private temp folder beside the cache and renames it into place, so a
 * second run at the same time never sees (or leaves) a half-installed cache: the first rename
 * wins, and the loser uses the winner's copy.
 */
function fetchNode(cacheDir) {
  mkdirSync(path.dirname(cacheDir), { recursive: true });
  const partial = `${cacheDir}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  const npm = npmCommand();
  const args = [...npm.args, 'install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund'];
  try {
    try {
      execFileSync(npm.file, [...args, '--loglevel=error', '--prefix', partial, FETCHED_NODE_PACKAGE], {
        stdio: ['ignore', 'ignore', 'pipe'],
        encoding: 'utf8',
      });
    } catch (err) {
      const said = String(err.stderr ?? err.message).trim();
      throw new NodeFetchError(`npm install ${FETCHED_NODE_PACKAGE} failed${said ? `:\n${said}` : ''}`);
    }
    const version = cachedVersion(partial);
    if (!version || !atLeast(version, NEEDED_NODE)) {
      throw new NodeFetchError(`the fetched ${FETCHED_NODE_PACKAGE} reports ${version ?? 'nothing'}`);
    }
    // A cache that exists but holds no working Node (an interrupted copy) is replaced.
    if (existsSync(cacheDir) && cachedVersion(cacheDir) === undefined) {
      rmSync(cacheDir, { recursive: true, force: true });
    }
    try {
      renameSync(partial, cacheDir);
    } catch (err) {
      if (cachedVersion(cacheDir) === undefined) throw err;
    }
  } finally {
    rmSync(partial, { recursive: true, force: true });
  }
}

/**
 * Runs this same command (Node flags, script, arguments) with the cached Node and mirrors its end:
 * the same exit code, or the same signal. Never resolves: the process ends with the child.
 */
function rerun(cacheDir) {
  const binDir = cachedNodeBinDir(cacheDir);
  const node = path.join(binDir, 'node');
  const child = spawn(node, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: rerunEnv(process.env, binDir, node),
  });
  // A Ctrl-C in a terminal reaches the child too (same process group); a signal sent to this
  // process alone (a process manager's SIGTERM) must be passed on, or the child outlives us.
  const forward = (signal) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const signal of signals) process.on(signal, forward);
  return new Promise(() => {
    child.on('error', (err) => {
      process.stderr.write(`mim-bridge: could not run ${node}: ${err.message}\n`);
      process.exit(1);
    });
    child.on('exit', (code, signal) => {
      for (const s of signals) process.off(s, forward);
      if (signal) process.kill(process.pid, signal);
      process.exit(code ?? 1);
    });
  });
}

/**
 * Undefined when the running Node is new enough. Otherwise says so in one line and either exits 1
 * (opted out, or the fetch failed) or returns the cache folder holding Node 24, fetched if needed.
 */
function prepareNode() {
  const running = process.env[FAKE_VERSION_VAR] || process.versions.node;
  if (atLeast(running, NEEDED_NODE)) return undefined;
  const cacheDir = nodeCacheDir(process.env, homedir());
  const cached = cachedVersion(cacheDir);
  const decision = decide({
    running,
    env: process.env,
    cacheDir,
    cached: cached !== undefined && atLeast(cached, NEEDED_NODE),
  });
  if (decision.kind === 'run') return undefined;
  process.stderr.write(`${decision.message}\n`);
  if (decision.kind === 'refuse') process.exit(1);
  if (decision.fetch) {
    try {
      fetchNode(cacheDir);
    } catch (err) {
      process.stderr.write(`mim-bridge: could not fetch Node 24: ${err.message}\n`);
      process.stderr.write('Install Node 24 yourself (https://nodejs.org) and run again.\n');
      process.exit(1);
    }
  }
  return cacheDir;
}

/** Returns when the running Node is new enough; otherwise the command re-runs with Node 24 (see prepareNode). */
export async function ensureNode() {
  const cacheDir = prepareNode();
  if (cacheDir !== undefined) await rerun(cacheDir);
}

function isMain() {
  try {
    return realpathSync(process.argv[1] ?? '') === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

// `node bin/ensure-node.js --bin-dir` (for .ci/run): ensures a new enough Node and prints the folder
// to put first on PATH, or nothing when the running Node already is one.
if (isMain()) {
  if (process.argv[2] !== '--bin-dir') {
    process.stderr.write('usage: node bin/ensure-node.js --bin-dir\n');
    process.exit(2);
  }
  const cacheDir = prepareNode();
  if (cacheDir !== undefined) process.stdout.write(`${cachedNodeBinDir(cacheDir)}\n`);
}
