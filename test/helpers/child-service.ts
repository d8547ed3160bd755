import { spawn, type ChildProcess } from 'node:child_process';
import { awaitListening } from '../../sandbox/run-service.ts';
import { SECRETS } from './service.ts';

/** The real service as a child process (`node src/app/main.ts`), for tests that kill it. */
export interface ChildService {
  readonly url: string;
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  output(): string;
  /** SIGKILL: no shutdown hook runs, BullMQ's locks are left to expire. */
  kill(): Promise<void>;
}

const running = new Set<ChildService>();
// A deadline, not a delay: a test waits only as long as start-up takes. On a loaded 2-core CI
// machine start-up was seen to miss 15 s; waiting longer changes no assertion.
const START_TIMEOUT_MS = 30_000;

/**
 * Starts the service with only the environment given here (plus PATH/HOME), so nothing from the
 * runner's environment leaks in, and resolves once /healthz answers. It binds port 0 (unless the
 * env says a PORT) and its URL is the one its "listening" log line gives: a port picked here and
 * bound later by the child could be taken in between. Logs are kept, not printed.
 */
export async function startChildService(env: Record<string, string>, entry = 'src/app/main.ts'): Promise<ChildService> {
  const child = spawn(process.execPath, [entry], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      PORT: '0',
      HOST: '127.0.0.1',
      REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
      SERVICENOW_WEBHOOK_SECRET: SECRETS.servicenow,
      JIRA_WEBHOOK_SECRET: SECRETS.jira,
      PAGERDUTY_WEBHOOK_SECRET: SECRETS.pagerduty,
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d;
  });
  child.stderr?.on('data', (d: Buffer) => {
    out += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let url: string | undefined;
  void awaitListening(child.stdout!).then((u) => {
    url = u;
  });
  const svc: ChildService = {
    get url() {
      return url ?? '';
    },
    child,
    exited,
    output: () => out,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
      running.delete(svc);
    },
  };
  running.add(svc);
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`service exited with ${child.exitCode} during start-up:\n${out}`);
    try {
      if (url && (await fetch(`${url}/healthz`)).ok) return svc;
    } catch {
      /* not answering yet */
    }
    if (Date.now() > deadline) {
      await svc.kill();
      const seen = url ? `did not answer /healthz at ${url}` : 'logged no "mim-bridge listening" line';
      throw new Error(`service ${seen} within ${START_TIMEOUT_MS / 1_000} s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** For afterEach/afterAll: SIGKILLs every child this file started that is still alive. */
export async function killAllChildren(): Promise<void> {
  await Promise.all([...running].map((c) => c.kill()));
}
