import { Worker } from 'node:worker_threads';
import { SECRETS } from '../../helpers/service.ts';
import type { Sent } from './load.ts';
import { deliverySysId, PENDING, TIMED_OUT, type LoadShared } from './thread-load-shared.ts';

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
  stop(): Promise<void>;
}

export function threadLoad(url: string, ratePerSec: number, tag: string, maxSeconds: number, timeoutMs = 5_000): ThreadLoad {
  const capacity = Math.ceil(ratePerSec * maxSeconds);
  const shared: LoadShared = {
    sentAt: new SharedArrayBuffer(capacity * 8), doneAt: new SharedArrayBuffer(capacity * 8),
    status: new SharedArrayBuffer(capacity * 2), count: new SharedArrayBuffer(4),
  };
  const sentAt = new Float64Array(shared.sentAt);
  const doneAt = new Float64Array(shared.doneAt);
  const status = new Int16Array(shared.status);
  const count = new Int32Array(shared.count);
  const worker = new Worker(new URL('./load-worker.ts', import.meta.url), { workerData: { url, ratePerSec, tag, secret: SECRETS.servicenow, timeoutMs, shared } });
  const failed = new Promise<never>((_, reject) => worker.once('error', reject));
  failed.catch(() => {});
  const at = (i: number): Sent => {
    const code = Atomics.load(status, i);
    const base = { deliveryId: `${deliverySysId(tag, i)}@1`, sentAt: sentAt[i]! };
    if (code === PENDING) return base;
    if (code === TIMED_OUT) return { ...base, doneAt: doneAt[i]!, status: 0, error: 'aborted due to timeout' };
    return code === 0 ? { ...base, doneAt: doneAt[i]!, status: 0, error: 'network error' } : { ...base, doneAt: doneAt[i]!, status: code };
  };
  return {
    count: () => Atomics.load(count, 0),
    at,
    since: (from) => Array.from({ length: Math.max(0, Atomics.load(count, 0) - from) }, (_, k) => at(from + k)),
    stop: async () => {
      const stopped = new Promise<void>((resolve) => worker.once('message', (m) => { if (m === 'stopped') resolve(); }));
      worker.postMessage('stop');
      await Promise.race([stopped, failed]);
      await worker.terminate();
    },
  };
}
