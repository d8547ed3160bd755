import { connect, createServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { withTimeout } from '../../../src/lib/with-timeout.ts';

const busy = (ms: number) => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    /* hold the event loop */
  }
};

describe('withTimeout', () => {
  const sockets: Socket[] = [];
  const servers: ReturnType<typeof createServer>[] = [];
  afterEach(() => {
    for (const s of sockets.splice(0)) s.destroy();
    for (const s of servers.splice(0)) s.close();
  });

  it('settles with the promise when it is in time', async () => {
    await expect(withTimeout(Promise.resolve(7), 50, () => new Error('late'))).resolves.toBe(7);
  });

  it('rejects with the given error once the time is up', async () => {
    await expect(withTimeout(new Promise(() => {}), 20, () => new Error('late'))).rejects.toThrow('late');
  });

  it(
    'counts a reply that arrived while the event loop was busy as in time, ' + 'although its timer is due too',
    async () => {
      const server = createServer();
      servers.push(server);
      const accepted = new Promise<Socket>((r) => server.once('connection', r));
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const client = connect((server.address() as { port: number }).port, '127.0.0.1');
      sockets.push(client);
      const peer = await accepted;
      sockets.push(peer);
      const reply = new Promise<string>((resolve) => client.once('data', (d) => resolve(String(d))));
      const guarded = withTimeout(reply, 20, () => new Error('late'));
      // The reply is in the client's socket at once (libuv writes synchronously when it can); the
      // loop is then held past the 20 ms deadline, so when it turns again the timer and the reply
      // are both ready, and timers run before I/O.
      peer.write('pong');
      busy(80);
      await expect(guarded).resolves.toBe('pong');
    },
  );
});
