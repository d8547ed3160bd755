// The Redis that `npm test` uses: the one in TEST_REDIS_URL / REDIS_URL when it answers, else a
// private redis-server from PATH, stopped after the run. Plain JavaScript with no dependency (the
// runner must not load the project's TypeScript), so a PING is written over a socket by hand.
import { spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { isRedisReply, redisAddress } from './test-plan.js';

const PING_TIMEOUT_MS = 1_000;
const START_TIMEOUT_MS = 5_000;

/** Whether anything answers PING like a Redis at `url` within a second. */
export function redisAnswers(url) {
  const address = redisAddress(url);
  if (!address) return Promise.resolve(false);
  return new Promise((resolve) => {
    const options = { host: address.host, port: address.port };
    const socket = address.tls ? tls.connect({ ...options, servername: address.host }) : net.connect(options);
    const done = (answer) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(() => done(false), PING_TIMEOUT_MS);
    socket.once(address.tls ? 'secureConnect' : 'connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(isRedisReply(data.toString('latin1'))));
    socket.once('error', () => done(false));
    socket.once('close', () => done(false));
  });
}

/** The first `name` on PATH that may be executed, or undefined. */
export function onPath(name, pathVar = process.env.PATH ?? '') {
  for (const dir of pathVar.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      /* not here */
    }
  }
  return undefined;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function startOnce(redisServer) {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'mim-test-redis-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'];
  args.push('--maxmemory-policy', 'noeviction', '--logfile', path.join(dir, 'redis.log'));
  // Its own process group: a Ctrl-C stops the tests first, and the runner stops Redis after them.
  const child = spawn(redisServer, args, { stdio: 'ignore', detached: true });
  const exited = new Promise((resolve) => {
    child.once('exit', resolve);
    child.once('error', resolve);
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  const url = `redis://127.0.0.1:${port}`;
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline && child.exitCode === null && child.pid !== undefined) {
    if (await redisAnswers(url)) return { url, stop };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await stop();
  return undefined;
}

/**
 * A private redis-server on a free loopback port with nothing written to disk. The port is free
 * when chosen but another process may take it before Redis binds, so a failed start tries again.
 */
export async function startPrivateRedis(redisServer) {
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const started = await startOnce(redisServer);
    if (started) return started;
  }
  return undefined;
}
