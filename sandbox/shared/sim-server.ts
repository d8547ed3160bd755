import type { Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';

/**
 * The base every simulator shares: an express app on loopback that records every request,
 * and fault injection ahead of the vendor's own routes. A simulator adds its routes to `app`
 * and validates requests as the real vendor does (it answers what the vendor would).
 */

export interface RecordedRequest {
  readonly at: string;
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, unknown>;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: unknown;
  /** The status the simulator answered (set when the response finishes). */
  status?: number;
  /** A fault answered instead of the vendor. */
  fault?: FaultKind;
}

export type FaultKind = 'rate_limit' | 'unavailable' | 'latency' | 'drop';

/** The next `count` requests (matching `path`, if given) fail this way. */
export interface Fault {
  readonly kind: FaultKind;
  readonly count: number;
  /** Only requests whose path matches. */
  readonly path?: RegExp;
  /** rate_limit / unavailable: the `Retry-After` seconds to send. */
  readonly retryAfterSeconds?: number;
  /** latency: how long to hold the request before the vendor answers. */
  readonly delayMs?: number;
}

export interface SimServer {
  readonly name: string;
  readonly app: Express;
  /** Base URL once listening, e.g. `http://127.0.0.1:41234`. */
  url(): string;
  readonly requests: RecordedRequest[];
  inject(fault: Fault): void;
  clearFaults(): void;
  listen(port?: number): Promise<string>;
  close(): Promise<void>;
}

/** Body limit of the simulators: above what any vendor accepts, so the vendor's own limit checks decide. */
const BODY_LIMIT = '5mb';

export function createSimServer(name: string, opts: { readonly rawBody?: boolean } = {}): SimServer {
  const app = express();
  const requests: RecordedRequest[] = [];
  const faults: Array<Fault & { left: number }> = [];
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let base = '';

  app.disable('x-powered-by');
  app.use(express.json({ limit: BODY_LIMIT, type: ['application/json', 'application/*+json'] }));
  app.use(express.urlencoded({ extended: false, limit: BODY_LIMIT }));
  if (opts.rawBody) app.use(express.text({ type: '*/*', limit: BODY_LIMIT }));
  app.use((req: Request, res: Response, next: NextFunction) => {
    const rec: RecordedRequest = {
      at: new Date().toISOString(),
      method: req.method,
      path: req.path,
      query: { ...req.query },
      headers: { ...req.headers },
      body: req.body,
    };
    requests.push(rec);
    res.on('finish', () => {
      rec.status = res.statusCode;
    });
    const fault = faults.find((f) => f.left > 0 && (!f.path || f.path.test(req.path)));
    if (!fault) return next();
    fault.left -= 1;
    rec.fault = fault.kind;
    switch (fault.kind) {
      case 'rate_limit':
        return void res
          .status(429)
          .set('Retry-After', String(fault.retryAfterSeconds ?? 1))
          .json({ error: 'rate_limited', simulator: name });
      case 'unavailable':
        return void res
          .status(503)
          .set('Retry-After', String(fault.retryAfterSeconds ?? 1))
          .json({ error: 'unavailable', simulator: name });
      case 'latency':
        return void setTimeout(() => next(), fault.delayMs ?? 1_000);
      case 'drop':
        // The connection dies with no answer, as a crashed proxy or a reset does.
        return void req.socket.destroy();
    }
  });

  return {
    name,
    app,
    requests,
    url: () => base,
    inject: (fault) => {
      faults.push({ ...fault, left: fault.count });
    },
    clearFaults: () => {
      faults.length = 0;
    },
    listen: (port = 0) =>
      new Promise((resolve, reject) => {
        const s = app.listen(port, '127.0.0.1', () => {
          server = s;
          base = `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
          resolve(base);
        });
        s.on('connection', (c) => {
          sockets.add(c);
          c.on('close', () => sockets.delete(c));
        });
        s.on('error', reject);
      }),
    close: () =>
      new Promise((resolve) => {
        if (!server) return resolve();
        for (const c of sockets) c.destroy();
        server.close(() => resolve());
      }),
  };
}
