import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { probeAddress } from '../../../src/queue/redis-gone.ts';
import { freePort } from '../../helpers/net.ts';

describe('probeAddress', () => {
  it('is refused where nothing listens, open where something does', async () => {
    const port = await freePort();
    expect(await probeAddress({ host: '127.0.0.1', port }, 500)).toBe('refused');
    const server = createServer((s) => s.destroy());
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
    try {
      expect(await probeAddress({ host: '127.0.0.1', port }, 500)).toBe('open');
    } finally {
      server.close();
    }
  });
});
