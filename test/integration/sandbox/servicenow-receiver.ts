import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { InboundRequest } from '../../../src/connectors/inbound-source.ts';

/** A stand-in for mim-bridge's intake: keeps every request's raw bytes and answers from `statuses` (then 200). */
export interface Receiver {
  readonly url: string;
  readonly received: InboundRequest[];
  close(): Promise<void>;
}

const headersOf = (req: IncomingMessage) =>
  Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v]));

export async function startReceiver(statuses: number[] = []): Promise<Receiver> {
  const received: InboundRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ rawBody: Buffer.concat(chunks), headers: headersOf(req), receivedAt: new Date() });
      res.writeHead(statuses.shift() ?? 200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`,
    received,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
