import type { MessagePort } from 'node:worker_threads';
import { simulateTask, validateTask, type SandboxTask } from './tasks.ts';

export interface WorkerInput {
  readonly task: SandboxTask;
  /** Told when the task starts, which is when its deadline starts (sandbox.ts). */
  readonly started: MessagePort;
}

/** The rules sandbox's worker thread (Piscina loads this file; Node strips the types). */
export default function run({ task, started }: WorkerInput): unknown {
  started.postMessage('started');
  return task.kind === 'simulate' ? simulateTask(task) : validateTask(task);
}
