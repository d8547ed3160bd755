import { createServer } from 'node:http';

/** The floor: node:http reads the body, JSON.parse, a 202. No framework, no verification, no storage. */
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    let id = '';
    try {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { record?: { sys_id?: string } };
      id = String(body.record?.sys_id ?? '');
    } catch {
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"invalid_json"}');
      return;
    }
    res.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify({ accepted: true, id }));
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
