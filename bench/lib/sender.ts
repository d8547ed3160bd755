/**
 * The paced load generator, run in a worker thread so its event loop is not the simulators':
 * item i is sent at start + i / rate seconds (a fixed rate, not a closed loop), each a signed
 * POST. Posts back, at the end, when each item was sent (epoch ms) and the status it got.
 * node:http with a keep-alive agent, not fetch: at 1,000 req/s on 2 cores fetch's per-request
 * work made this thread run up to 200 ms late, and its lateness was measured as the server's.
 */
import { Agent, request } from 'node:http';
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
  /** From send to the whole answer read, ms (sub-millisecond resolution). */
  readonly latencyMs: Float64Array;
  /** Requests that got no answer (status -1), by the client's error code: ECONNRESET, ... */
  readonly errors: Readonly<Record<string, number>>;
  /** The first few of them: when (ms after the start), and whether on a kept-alive socket. */
  readonly errorSample: ReadonlyArray<{ readonly atMs: number; readonly code: string; readonly reusedSocket: boolean }>;
  /** Largest delay of a send behind its schedule, ms. */
  readonly maxLagMs: number;
  readonly startedAt: number;
  readonly endedAt: number;
}

const input = workerData as SenderInput;
const n = input.bodies.length;
const sentAt = new Float64Array(n);
const status = new Int16Array(n);
const latencyMs = new Float64Array(n);
const errors: Record<string, number> = {};
const errorSample: Array<{ atMs: number; code: string; reusedSocket: boolean }> = [];
let inFlight = 0;
let maxLagMs = 0;
let next = 0;
let done = 0;
const startedAt = Date.now();

const target = new URL(input.url);
// The timeout matters for idle sockets: Node's agent obeys the server's `Keep-Alive: timeout=`
// hint (less a second) only when it is below the agent's own timeout, and without one it keeps
// idle sockets for ever, so it sometimes sent a request down one the server was closing
// (ECONNRESET on a reused socket: 4 of 180,000 webhooks at 500/s). On an active request it only
// emits 'timeout'.
const agent = new Agent({ keepAlive: true, maxSockets: input.maxInFlight, timeout: 60_000 });

function send(i: number): void {
  inFlight++;
  sentAt[i] = Date.now();
  const t0 = performance.now();
  let settled = false;
  const settle = (code: number) => {
    if (settled) return;
    settled = true;
    status[i] = code;
    latencyMs[i] = performance.now() - t0;
    inFlight--;
    done++;
  };
  const body = input.bodies[i]!;
  const req = request(
    target,
    {
      method: 'POST',
      agent,
      headers: {
        'content-type': 'application/json',
        'x-mim-signature': input.sigs[i]!,
        'content-length': String(Buffer.byteLength(body)),
      },
    },
    (res) => {
      res.resume();
      res.on('end', () => settle(res.statusCode ?? 0));
      res.on('error', (err) => fail(err));
    },
  );
  const fail = (err: NodeJS.ErrnoException) => {
    if (settled) return;
    const code = err.code ?? err.message;
    errors[code] = (errors[code] ?? 0) + 1;
    if (errorSample.length < 10)
      errorSample.push({ atMs: Date.now() - startedAt, code, reusedSocket: req.reusedSocket });
    settle(-1);
  };
  req.on('error', fail);
  req.end(body);
}

await new Promise<void>((resolve) => {
  const tick = () => {
    const now = Date.now();
    const due = Math.min(n, Math.floor(((now - startedAt) / 1000) * input.rate) + 1);
    while (next < due && inFlight < input.maxInFlight) {
      maxLagMs = Math.max(maxLagMs, now - (startedAt + (next / input.rate) * 1000));
      send(next++);
    }
    if (done === n) return resolve();
    setTimeout(tick, 2);
  };
  tick();
});
parentPort!.postMessage({
  sentAt,
  status,
  latencyMs,
  errors,
  errorSample,
  maxLagMs: Math.round(maxLagMs),
  startedAt,
  endedAt: Date.now(),
} satisfies SenderOutput);
