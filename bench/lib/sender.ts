/**
 * The paced load generator, run in a worker thread so its event loop is not the simulators':
 * item i is sent at start + i / rate seconds (a fixed rate, not a closed loop), each a signed
 * POST. Posts back, at the end, when each item was sent (epoch ms) and the status it got.
 */
import { parentPort, workerData } from 'node:worker_threads';

export interface SenderInput {
  readonly url: string;
  readonly bodies: readonly string[];
  readonly sigs: readonly string[];
  readonly rate: number;
  /** Most requests in flight at once; when reached, sending falls behind (reported as lag). */
  readonly maxInFlight: number;
}
export interface SenderOutput {
  readonly sentAt: Float64Array;
  readonly status: Int16Array;
  /** Largest delay of a send behind its schedule, ms. */
  readonly maxLagMs: number;
  readonly startedAt: number;
  readonly endedAt: number;
}

const input = workerData as SenderInput;
const n = input.bodies.length;
const sentAt = new Float64Array(n);
const status = new Int16Array(n);
let inFlight = 0;
let maxLagMs = 0;
let next = 0;
let done = 0;
const startedAt = Date.now();

async function send(i: number): Promise<void> {
  inFlight++;
  sentAt[i] = Date.now();
  try {
    const res = await fetch(input.url, { method: 'POST', body: input.bodies[i], headers: { 'content-type': 'application/json', 'x-mim-signature': input.sigs[i]! } });
    status[i] = res.status;
    await res.arrayBuffer();
  } catch {
    status[i] = -1;
  } finally {
    inFlight--;
    done++;
  }
}

await new Promise<void>((resolve) => {
  const tick = () => {
    const now = Date.now();
    const due = Math.min(n, Math.floor(((now - startedAt) / 1000) * input.rate) + 1);
    while (next < due && inFlight < input.maxInFlight) {
      maxLagMs = Math.max(maxLagMs, now - (startedAt + (next / input.rate) * 1000));
      void send(next++);
    }
    if (done === n) return resolve();
    setTimeout(tick, 2);
  };
  tick();
});
parentPort!.postMessage({ sentAt, status, maxLagMs: Math.round(maxLagMs), startedAt, endedAt: Date.now() } satisfies SenderOutput);
