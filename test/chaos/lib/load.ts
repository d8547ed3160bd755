import { signedHeaders } from '../../helpers/sign.ts';
import { SECRETS } from '../../helpers/service.ts';
import { loadBody, loadDeliveryId } from './load-record.ts';

/** One webhook sent by the load generator, and what came back. */
export interface Sent {
  readonly deliveryId: string;
  readonly sentAt: number;
  doneAt?: number;
  /** HTTP status, or 0 for a network error / time-out (a broken promise: the intake must answer). */
  status?: number;
  error?: string;
}

export interface Load {
  readonly sent: Sent[];
  /** Stops sending and waits for every answer. */
  stop(): Promise<void>;
}

const REQUEST_TIMEOUT_MS = 5_000;

/** ServiceNow webhooks at a fixed rate, each a new record (load-record.ts, or `body`'s). */
export function servicenowLoad(
  url: string,
  ratePerSec: number,
  tag = 'c',
  body: (tag: string, i: number) => string = loadBody,
): Load {
  const sent: Sent[] = [];
  const inflight = new Set<Promise<void>>();
  let n = 0;
  const started = Date.now();
  const one = () => {
    const i = n++;
    const payload = body(tag, i);
    const rec: Sent = { deliveryId: loadDeliveryId(tag, i), sentAt: Date.now() };
    sent.push(rec);
    const p = fetch(`${url}/webhooks/servicenow`, {
      method: 'POST',
      body: payload,
      headers: signedHeaders('servicenow', SECRETS.servicenow, payload),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    })
      .then(
        async (res) => {
          await res.arrayBuffer();
          rec.status = res.status;
        },
        (err: Error) => {
          rec.status = 0;
          rec.error = err.message;
        },
      )
      .finally(() => {
        rec.doneAt = Date.now();
        inflight.delete(p);
      });
    inflight.add(p);
  };
  // A tick every 10 ms sends whatever the rate owes by now, so a slow tick catches up.
  const timer = setInterval(() => {
    const owed = Math.floor(((Date.now() - started) / 1000) * ratePerSec) - n;
    for (let i = 0; i < owed; i++) one();
  }, 10);
  return {
    sent,
    stop: async () => {
      clearInterval(timer);
      await Promise.all([...inflight]);
    },
  };
}

export const pct = (xs: readonly number[], p: number): number => {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? 0;
};

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
