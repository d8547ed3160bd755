import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A loopback TCP proxy in front of Redis for one process's connections, to fail them in the two
 * ways a network does: `cut()` resets every connection (the client sees a close and reconnects);
 * `blackhole()` keeps every current connection open but stops carrying bytes, as a dead NAT entry
 * or a half-open TCP connection does (the client sees nothing). New connections work normally.
 */
export interface TcpProxy {
  readonly url: string;
  cut(): void;
  blackhole(): void;
  /** Closes the connections `blackhole()` froze: the client sees them drop with its commands unanswered. */
  release(): void;
  /**
   * Stops accepting, as a Redis killed with a forked child does: new connections are refused, the
   * current ones stay as they are.
   */
  stopListening(): void;
  /** Connections currently carried. */
  open(): number;
  close(): Promise<void>;
}

export async function tcpProxy(targetPort: number): Promise<TcpProxy> {
  const pairs = new Set<{ client: Socket; upstream: Socket; frozen: boolean }>();
  const frozen: Socket[] = [];
  const server: Server = createServer((client) => {
    const upstream = createConnection({ host: '127.0.0.1', port: targetPort });
    const pair = { client, upstream, frozen: false };
    pairs.add(pair);
    client.on('data', (d) => {
      if (!pair.frozen) upstream.write(d);
    });
    upstream.on('data', (d) => {
      if (!pair.frozen) client.write(d);
    });
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream
      .on('close', () => {
        if (!pair.frozen) end();
      })
      .on('error', () => {
        if (!pair.frozen) end();
      });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return {
    url: `redis://127.0.0.1:${port}`,
    cut: () => {
      for (const p of [...pairs]) {
        p.client.resetAndDestroy();
        p.upstream.destroy();
        pairs.delete(p);
      }
    },
    blackhole: () => {
      for (const p of [...pairs]) {
        p.frozen = true;
        frozen.push(p.client, p.upstream);
        pairs.delete(p);
      }
    },
    release: () => {
      for (const s of frozen.splice(0)) s.destroy();
    },
    stopListening: () => {
      server.close();
    },
    open: () => pairs.size,
    close: () =>
      new Promise((r) => {
        for (const p of pairs) {
          p.client.destroy();
          p.upstream.destroy();
        }
        for (const s of frozen) s.destroy();
        server.close(() => r());
      }),
  };
}
