// `npm test`: lint, the type check, the main suite and the chaos suite, all of them whatever fails
// (a failed type check stops it: no test result means anything then), and one summary line at the
// end. It brings what it needs: Node 24 (bin/ensure-node.js) and, when none answers, a private Redis.
// `npm test -- <vitest args>` passes the arguments to both vitest runs.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureNode } from '../bin/ensure-node.js';
import { maskedUrl, redisInstallHint, summaryLine, testSteps } from './test-plan.js';
import { onPath, redisAnswers, startPrivateRedis } from './test-redis.js';

await ensureNode();

const root = fileURLToPath(new URL('..', import.meta.url));
const env = { ...process.env, PATH: [path.join(root, 'node_modules', '.bin'), process.env.PATH].join(path.delimiter) };

let current;
let stopRedis = async () => {};
let interrupted;

async function finish(code) {
  await stopRedis();
  process.exit(code);
}

// Ctrl-C reaches the running step through the terminal; a signal sent to this process alone is
// passed on. Either way the run stops there, and a private Redis is stopped too. A step still
// running 5 s later is killed: the native tsc was seen to take far longer to act on SIGINT.
const KILL_AFTER_MS = 5_000;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    interrupted = signal;
    if (!current || current.exitCode !== null || current.signalCode !== null) {
      void finish(128 + constants.signals[signal]);
      return;
    }
    const step = current;
    step.kill(signal);
    setTimeout(() => step.exitCode === null && step.signalCode === null && step.kill('SIGKILL'), KILL_AFTER_MS).unref();
  });
}

const url = process.env.TEST_REDIS_URL || process.env.REDIS_URL || 'redis://127.0.0.1:6379';
if (!(await redisAnswers(url))) {
  const redisServer = onPath('redis-server');
  if (!redisServer) {
    process.stderr.write(
      `mim-bridge tests: no Redis answers on ${maskedUrl(url)} and redis-server is not ` +
        `installed; install it with: ${redisInstallHint(process.platform)}\n`,
    );
    process.exit(1);
  }
  const started = await startPrivateRedis(redisServer);
  if (!started) {
    process.stderr.write(`mim-bridge tests: no Redis answers and ${redisServer} did not start; run it to see why\n`);
    process.exit(1);
  }
  stopRedis = started.stop;
  env.TEST_REDIS_URL = started.url;
  env.REDIS_URL = started.url;
  process.stdout.write(
    `mim-bridge tests: nothing answers on ${maskedUrl(url)}; started a private Redis on ${started.url}\n`,
  );
}

function runStep(step) {
  return new Promise((resolve) => {
    current = spawn(step.command, step.args, { cwd: root, env, stdio: 'inherit' });
    current.once('error', (err) => {
      process.stderr.write(`mim-bridge tests: could not run ${step.command}: ${err.message}\n`);
      resolve(127);
    });
    current.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

const codes = {};
for (const step of testSteps(process.argv.slice(2))) {
  codes[step.key] = await runStep(step);
  if (interrupted) await finish(128 + constants.signals[interrupted]);
  if (step.key === 'types' && codes.types !== 0) break;
}
process.stdout.write(`${summaryLine(codes)}\n`);
await finish(Object.values(codes).every((code) => code === 0) ? 0 : 1);
