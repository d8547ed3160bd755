import { connect, type Socket } from 'node:net';

export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/**
 * One raw TCP connection to an HTTP server, so which connection a request travels on is
 * certain (no agent in between). Reads responses with a Content-Length or chunked body.
 */
export function rawConnection(url: string) {
  const { hostname, port } = new URL(url);
  const socket: Socket = connect(Number(port), hostname);
  let received = '';
  let closed = false;
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    received += chunk;
  });
  socket.on('error', () => {
    /* a reset shows as the close below */
  });
  const closedP = new Promise<void>((resolve) =>
    socket.once('close', () => {
      closed = true;
      resolve();
    }),
  );

  // The head of the response being read, once found: a large body is not searched again per chunk.
  let head: { end: number; status: number; headers: Record<string, string> } | undefined;
  const parse = (): RawResponse | undefined => {
    if (!head) {
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return undefined;
      const [statusLine, ...lines] = received.slice(0, end).split('\r\n');
      head = {
        end,
        status: Number(statusLine!.split(' ')[1]),
        headers: Object.fromEntries(
          lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
        ),
      };
    }
    const { end, headers } = head;
    if (
      headers['transfer-encoding'] !== 'chunked' &&
      received.length < end + 4 + Number(headers['content-length'] ?? 0)
    )
      return undefined;
    let rest = received.slice(end + 4);
    let body = '';
    if (headers['transfer-encoding'] === 'chunked') {
      for (;;) {
        const lineEnd = rest.indexOf('\r\n');
        if (lineEnd < 0) return undefined;
        const size = parseInt(rest.slice(0, lineEnd), 16);
        if (rest.length < lineEnd + 2 + size + 2) return undefined;
        body += rest.slice(lineEnd + 2, lineEnd + 2 + size);
        rest = rest.slice(lineEnd + 2 + size + 2);
        if (size === 0) break;
      }
    } else {
      const length = Number(headers['content-length'] ?? 0);
      if (rest.length < length) return undefined;
      body = rest.slice(0, length);
      rest = rest.slice(length);
    }
    received = rest;
    const status = head.status;
    head = undefined;
    return { status, headers, body };
  };

  /** The next whole response read off the connection; rejects if the connection closes first. */
  const nextResponse = () =>
    new Promise<RawResponse>((resolve, reject) => {
      const now = parse();
      if (now) return resolve(now);
      const onData = () => {
        const r = parse();
        if (r) {
          cleanup();
          resolve(r);
        }
      };
      const onClose = () => {
        cleanup();
        reject(new Error(`connection closed before a whole response; had: ${received.slice(0, 200)}`));
      };
      const cleanup = () => {
        socket.off('data', onData);
        socket.off('close', onClose);
      };
      socket.on('data', onData);
      socket.on('close', onClose);
    });
  return { socket, nextResponse, closed: closedP, isClosed: () => closed };
}

export const rawGet = (path: string) => `GET ${path} HTTP/1.1\r\nHost: mim\r\n\r\n`;

/** Raw connections opened by one test file, destroyed together after each test. */
export function rawConnections() {
  const open: Array<ReturnType<typeof rawConnection>> = [];
  return {
    open(url: string) {
      const c = rawConnection(url);
      open.push(c);
      return c;
    },
    destroyAll() {
      for (const c of open.splice(0)) c.socket.destroy();
    },
  };
}
