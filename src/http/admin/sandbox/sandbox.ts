import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import type { Logger } from '../../../observability/logger.ts';
import { SandboxBusyError, SandboxFailedError, SandboxTimeoutError } from './errors.ts';
import { sandboxInFlight, sandboxTasks } from './metrics.ts';
import type { SandboxTask, SimulateOutcome, ValidateOutcome } from './tasks.ts';
import type { WorkerInput } from './worker.ts';

export { SandboxBusyError, SandboxFailedError, SandboxTimeoutError } from './errors.ts';

// The worker file sits beside this one: worker.ts when Node runs the sources, worker.js in the
// compiled package (dist/), where no .ts file exists.
const WORKER_FILE = new URL(import.meta.url.endsWith('.ts') ? './worker.ts' : './worker.js', import.meta.url);

/**
 * Rules someone sent (a draft to simulate, a directory to validate) are evaluated here, in a
 * worker thread with a hard deadline, never on the thread that answers webhooks: a costly draft
 * then costs one worker, which is stopped at the deadline, and the intake keeps answering.
 * Compile-time limits (cost-limits.ts) bound what a condition may cost; this bounds the wall
 * time of everything else too (building a draft, normalizing a payload, a large event).
 */
export interface SandboxOptions {
  readonly logger: Logger;
  /** How long one task may run once a worker has started it; the worker is stopped then. */
  readonly timeoutMs?: number;
  /** How long a task may wait for a thread (a new worker's start included) before it is refused as busy. */
  readonly waitMs?: number;
  /** Tasks waiting for a thread; one more is refused at once. */
  readonly maxQueue?: number;
  readonly threads?: number;
}

export const SANDBOX_DEFAULTS = { timeoutMs: 5_000, waitMs: 10_000, maxQueue: 8, threads: 1 } as const;
/** A worker's heap: far above a simulation's needs (a draft is at most 1 MiB of files), far below the process's. */
const WORKER_HEAP_MB = 256;
/** What a refused caller is told to wait, in seconds: about one task's deadline. */
export const BUSY_RETRY_AFTER_S = 5;

export class RulesSandbox {
  readonly #pool: Piscina;
  readonly #logger: Logger;
  readonly #timeoutMs: number;
  readonly #waitMs: number;
  readonly #maxQueue: number;
  #closed = false;

  constructor(opts: SandboxOptions) {
    this.#logger = opts.logger;
    this.#timeoutMs = opts.timeoutMs ?? SANDBOX_DEFAULTS.timeoutMs;
    this.#waitMs = opts.waitMs ?? SANDBOX_DEFAULTS.waitMs;
    this.#maxQueue = opts.maxQueue ?? SANDBOX_DEFAULTS.maxQueue;
    const threads = opts.threads ?? SANDBOX_DEFAULTS.threads;
    this.#pool = new Piscina({
      filename: WORKER_FILE.href,
      // Started by the first task and then kept: a process that never simulates never loads the
      // rules code twice, and no request pays for a worker's start more than once (nor in its deadline).
      minThreads: 0,
      maxThreads: threads,
      maxQueue: this.#maxQueue,
      idleTimeout: Infinity,
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
    });
  }

  simulate(task: Omit<Extract<SandboxTask, { kind: 'simulate' }>, 'kind'>): Promise<SimulateOutcome> {
    return this.#run({ kind: 'simulate', ...task }) as Promise<SimulateOutcome>;
  }

  validate(dir: string): Promise<ValidateOutcome> {
    return this.#run({ kind: 'validate', dir }) as Promise<ValidateOutcome>;
  }

  async #run(task: SandboxTask): Promise<unknown> {
    if (this.#pool.queueSize >= this.#maxQueue) {
      sandboxTasks.inc({ task: task.kind, outcome: 'busy' });
      throw new SandboxBusyError();
    }
    sandboxInFlight.inc();
    try {
      const result = await this.#dispatch(task);
      sandboxTasks.inc({ task: task.kind, outcome: 'ok' });
      return result;
    } catch (err) {
      const outcome =
        err instanceof SandboxTimeoutError ? 'timeout' : err instanceof SandboxBusyError ? 'busy' : 'failed';
      sandboxTasks.inc({ task: task.kind, outcome });
      if (outcome === 'timeout')
        this.#logger.warn(
          { task: task.kind, timeoutMs: this.#timeoutMs },
          'a rules sandbox task did not finish in time; its worker was stopped',
        );
      if (outcome === 'failed') this.#logger.error({ err, task: task.kind }, 'a rules sandbox task failed');
      throw outcome === 'failed' ? new SandboxFailedError(err) : err;
    } finally {
      sandboxInFlight.dec();
    }
  }

  /**
   * The deadline counts from the moment a worker starts the task (it says so on a port of its
   * own), so a worker's start-up or a queue never eats a task's time; the wait before that has a
   * limit of its own. Aborting a running task makes Piscina stop its worker and start another.
   */
  async #dispatch(task: SandboxTask): Promise<unknown> {
    const { port1: started, port2 } = new MessageChannel();
    const abort = new AbortController();
    let running = false;
    let timer = setTimeout(() => abort.abort(), this.#waitMs);
    started.once('message', () => {
      running = true;
      clearTimeout(timer);
      timer = setTimeout(() => abort.abort(), this.#timeoutMs);
    });
    try {
      const input: WorkerInput = { task, started: port2 };
      // Piscina infers its TransferList from postMessage's last overload, an options object in @types/node 26.
      return await this.#pool.run(input, { signal: abort.signal, transferList: [port2] as never });
    } catch (err) {
      if (!abort.signal.aborted || this.#closed) throw err;
      throw running
        ? new SandboxTimeoutError(this.#timeoutMs)
        : new SandboxBusyError(`no thread started it within ${this.#waitMs} ms`);
    } finally {
      clearTimeout(timer);
      started.close();
    }
  }

  /** Stops the workers; a task under way is abandoned (its caller's connection is closing anyway). */
  close(): Promise<void> {
    this.#closed = true;
    return this.#pool.destroy();
  }
}
