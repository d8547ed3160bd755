import { Agent, request } from 'node:http';

export type Answer = { readonly status: number; readonly text: string } | { readonly error: string };

/**
 * POSTs over kept-alive connections with node:http (fetch's own thread runs late under load, see
 * bench/lib). The deadline is absolute: a request unanswered by then is a hang, however its
 * socket behaves. An answer that arrives before the upload ends (a 413 for an oversized body)
 * counts, even if the server then closes the socket under the rest of the upload.
 */
export function httpClient(base: string, maxSockets: number) {
  const url = new URL(base);
  const agent = new Agent({ keepAlive: true, maxSockets, timeout: 60_000 });
  const post = (path: string, headers: Record<string, string>, body: Buffer, timeoutMs: number): Promise<Answer> =>
    new Promise((resolve) => {
      let settled = false;
      const done = (a: Answer) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(a);
      };
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path,
          method: 'POST',
          agent,
          headers: { ...headers, 'content-length': String(body.length) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => done({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', () => done({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        },
      );
      const timer = setTimeout(() => {
        done({ error: `no answer within ${timeoutMs} ms` });
        req.destroy();
      }, timeoutMs);
      req.on('error', (err: NodeJS.ErrnoException) => {
        // The server answered and closed before taking the whole upload: the answer is already on its way.
        if (err.code === 'EPIPE' || err.code === 'ECONNRESET')
          setTimeout(() => done({ error: `${err.code} without an answer` }), 1_000);
        else done({ error: err.code ?? err.message });
      });
      req.end(body);
    });
  return { post, close: () => agent.destroy() };
}

export type HttpClient = ReturnType<typeof httpClient>;
