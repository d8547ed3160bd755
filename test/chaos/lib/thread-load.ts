import { Worker } from 'node:worker_threads';
import { SECRETS } from '../../helpers/service.ts';
import type { Sent } from './load.ts';
import { loadDeliveryId } from './load-record.ts';
import {
  COUNT,
  COUNT_SLOTS,
  LOOP_MAX_US,
  OVERFLOWED,
  PENDING,
  TIMED_OUT,
  type LoadShared,
} from './thread-load-shared.ts';

/**
 * servicenowLoad (load.ts) on a worker thread of its own, for runs that time answers: the
 * generator's event loop is not the runner's, whose GC over hundreds of thousands of records ran
 * up to 200 ms late in a 100-cycle Redis-kill run and stamped that delay on the 503s it timed.
 * Records live in shared arrays; `at(i)` and `since(i)` read them without a message.
 */
export interface ThreadLoad {
  count(): number;
  /** The i-th request as a Sent (status undefined while pending). */
  at(i: number): Sent;
  /** Requests i.. as Sent records. */
  since(i: number): Sent[];
  /** The generator thread's largest event-loop delay (ms) since the last call. */
  takeLoopMaxMs(): number;
  /** True once the run outgrew the arrays sized by `maxSeconds` (the worker stopped sending). */
  overflowed(): boolean;
  /** Stops sending and waits (up to `timeoutMs` more) for the answers still owed, then ends the thread. */
  stop(): Promise<void>;
  /** Ends the thread at once, answers or not (for a run that failed). */
  terminate(): Promise<void>;
}

export function threadLoad(
  url: string,
  ratePerSec: number,
  tag: string,
  maxSeconds: number,
  timeoutMs = 5_000,
): ThreadLoad {
  const capacity = Math.ceil(ratePerSec * maxSeconds);
  const shared: LoadShared = {
    sentAt: new SharedArrayBuffer(capacity * 8),
    doneAt: new SharedArrayBuffer(capacity * 8),
    status: new SharedArrayBuffer(capacity * 2),
    count: new SharedArrayBuffer(4 * COUNT_SLOTS),
  };
  const sentAt = new Float64Array(shared.sentAt);
  const doneAt = new Float64Array(shared.doneAt);
  const status = new Int16Array(shared.status);
  const count = new Int32Array(shared.count);
  const worker = new Worker(new URL('./load-worker.ts', import.meta.url), {
    workerData: { url, ratePerSec, tag, secret: SECRETS.servicenow, timeoutMs, shared },
  });
  const failed = new Promise<never>((_, reject) => worker.once('error', reject));
  failed.catch(() => {});
  const at = (i: number): Sent => {
    const code = Atomics.load(status, i);
    const base = { deliveryId: loadDeliveryId(tag, i), sentAt: sentAt[i]! };
    if (code === PENDING) return base;
    if (code === TIMED_OUT) return { ...base, doneAt: doneAt[i]!, status: 0, error: 'aborted due to timeout' };
    return code === 0
      ? { ...base, doneAt: doneAt[i]!, status: 0, error: 'network error' }
      : { ...base, doneAt: doneAt[i]!, status: code };
  };
  return {
    count: () => Atomics.load(count, COUNT),
    at,
    since: (from) => Array.from({ length: Math.max(0, Atomics.load(count, COUNT) - from) }, (_, k) => at(from + k)),
    takeLoopMaxMs: () => Math.round(Atomics.exchange(count, LOOP_MAX_US, 0) / 1000),
    overflowed: () => Atomics.load(count, OVERFLOWED) === 1,
    stop: async () => {
      const stopped = new Promise<void>((resolve) =>
        worker.on('message', (m) => {
          if (m === 'stopped') resolve();
        }),
      );
      worker.postMessage('stop');
      // Every request times out after timeoutMs, so the answers owed come by then; a margin, then end it anyway.
      const late = new Promise<void>((resolve) => setTimeout(resolve, timeoutMs + 2_000).unref());
      await Promise.race([stopped, failed, late]);
      await worker.terminate();
    },
    terminate: async () => {
      await worker.terminate();
    },
  };
}
