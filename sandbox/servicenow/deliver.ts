/**
 * Webhook delivery for the simulators: one at a time in write order, each attempt recorded,
 * retried with backoff on a network error or a retryable status, and never thrown: a failed
 * delivery is a record in `deliveries`, not a crash. (Generic: the Jira simulator uses it too.)
 */

export interface DeliveryAttempt {
  readonly at: string;
  readonly status?: number;
  readonly error?: string;
}
export interface Delivery<M = unknown> {
  readonly id: string;
  /** Where the next attempt goes: `repoint` moves a pending delivery to a receiver's new address. */
  url: string;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly meta: M;
  readonly attempts: DeliveryAttempt[];
  ok: boolean;
  done: boolean;
}

export interface DelivererOptions {
  /** Attempts after the first. */
  readonly retries: number;
  /** First retry after this; doubles each time. */
  readonly backoffMs: number;
  readonly timeoutMs: number;
  readonly retryOn: (status: number) => boolean;
  /** Headers added to attempt n (0 = the first). */
  readonly attemptHeaders?: (attempt: number) => Record<string, string>;
}

export interface Deliverer<M> {
  readonly deliveries: Delivery<M>[];
  send(d: { id: string; url: string; body: string; headers: Record<string, string>; meta: M }): void;
  /** Resolves when every queued delivery has finished (delivered or given up). */
  idle(): Promise<void>;
  /**
   * The receiver listens elsewhere now (mim-bridge restarted on port 0): every delivery not yet done
   * goes to `url` from its next attempt, as a retry to the old port would fail and hold up every
   * later delivery.
   */
  repoint(url: string): void;
  /** Stops retrying; queued deliveries finish as failed. */
  close(): void;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function createDeliverer<M>(opts: DelivererOptions): Deliverer<M> {
  const deliveries: Delivery<M>[] = [];
  let chain: Promise<void> = Promise.resolve();
  let closed = false;

  async function run(d: Delivery<M>): Promise<void> {
    for (let attempt = 0; attempt <= opts.retries && !closed; attempt += 1) {
      if (attempt > 0) await sleep(opts.backoffMs * 2 ** (attempt - 1));
      if (closed) break;
      try {
        const res = await fetch(d.url, {
          method: 'POST',
          headers: { ...d.headers, ...opts.attemptHeaders?.(attempt) },
          body: d.body,
          signal: AbortSignal.timeout(opts.timeoutMs),
        });
        await res.arrayBuffer().catch(() => undefined);
        d.attempts.push({ at: new Date().toISOString(), status: res.status });
        if (res.ok) {
          d.ok = true;
          break;
        }
        if (!opts.retryOn(res.status)) break;
      } catch (err) {
        d.attempts.push({ at: new Date().toISOString(), error: err instanceof Error ? err.message : String(err) });
      }
    }
    d.done = true;
  }

  return {
    repoint: (url) => {
      for (const d of deliveries) if (!d.done) d.url = url;
    },
    deliveries,
    send(input) {
      const d: Delivery<M> = { ...input, attempts: [], ok: false, done: false };
      deliveries.push(d);
      chain = chain.then(() => run(d));
    },
    idle: () => chain,
    close() {
      closed = true;
    },
  };
}
