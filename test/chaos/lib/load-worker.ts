/**
 * The body of threadLoad() (thread-load.ts): a worker thread that sends the ServiceNow webhooks
 * and writes what came back into shared arrays. Node's http with a keep-alive agent, not fetch,
 * and no object per request: its heap stays small, so its own GC does not stamp answers late.
 */
import { Agent, request } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { signedHeaders } from '../../helpers/sign.ts';
import { loadBody } from './load-record.ts';
import { COUNT, LOOP_MAX_US, OVERFLOWED, PENDING, TIMED_OUT, type LoadShared } from './thread-load-shared.ts';

const { url, ratePerSec, tag, secret, timeoutMs, shared } = workerData as {
  url: string;
  ratePerSec: number;
  tag: string;
  secret: string;
  timeoutMs: number;
  shared: LoadShared;
};
const sentAt = new Float64Array(shared.sentAt);
const doneAt = new Float64Array(shared.doneAt);
const status = new Int16Array(shared.status);
const count = new Int32Array(shared.count);
const capacity = sentAt.length;
const target = new URL('/webhooks/servicenow', url);
// A timeout, so that the agent obeys the server's Keep-Alive hint (why: bench/lib/sender.ts).
const agent = new Agent({ keepAlive: true, maxSockets: 1024, timeout: 60_000 });
let inflight = 0;
let stopping = false;
let onIdle: (() => void) | undefined;

function settle(i: number, code: number): void {
  if (status[i] !== PENDING) return;
  doneAt[i] = Date.now();
  Atomics.store(status, i, code);
  inflight--;
  if (stopping && inflight === 0) onIdle?.();
}

function one(i: number): void {
  const body = loadBody(tag, i);
  const headers = { ...signedHeaders('servicenow', secret, body), 'content-length': String(Buffer.byteLength(body)) };
  status[i] = PENDING;
  sentAt[i] = Date.now();
  Atomics.store(count, COUNT, i + 1);
  inflight++;
  const req = request(target, { method: 'POST', headers, agent }, (res) => {
    res.resume();
    res.on('end', () => settle(i, res.statusCode ?? 0));
    res.on('error', () => settle(i, 0));
  });
  req.setTimeout(timeoutMs, () => {
    settle(i, TIMED_OUT);
    req.destroy();
  });
  req.on('error', () => settle(i, 0));
  req.end(body);
}

const started = Date.now();
let n = 0;
// A tick every 10 ms sends whatever the rate owes by now, so a slow tick catches up.
const timer = setInterval(() => {
  const due = Math.floor(((Date.now() - started) / 1000) * ratePerSec);
  if (due > capacity) Atomics.store(count, OVERFLOWED, 1);
  const owed = Math.min(capacity, due) - n;
  for (let k = 0; k < owed; k++) one(n++);
}, 10);

// This thread's own loop delay, published as a running maximum the owner takes (and zeroes) per cycle.
const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();
const publish = setInterval(() => {
  const us = Math.round(loop.max / 1000);
  loop.reset();
  for (let seen = Atomics.load(count, LOOP_MAX_US); us > seen; seen = Atomics.load(count, LOOP_MAX_US)) {
    if (Atomics.compareExchange(count, LOOP_MAX_US, seen, us) === seen) break;
  }
}, 100);

parentPort!.on('message', (msg: string) => {
  if (msg !== 'stop') return;
  clearInterval(timer);
  clearInterval(publish);
  loop.disable();
  stopping = true;
  const done = () => {
    agent.destroy();
    parentPort!.postMessage('stopped');
  };
  if (inflight === 0) done();
  else onIdle = done;
});
