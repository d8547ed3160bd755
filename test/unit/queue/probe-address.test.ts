import { type AddressInfo, createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { probeAddress } from '../../../src/queue/redis-gone.ts';

describe('probeAddress', () => {
  it('is open where something listens, refused once it has closed', async () => {
    // Port 0 first: 'open' cannot race, and 'refused' asks a port this test closed a moment before.
    const server = createServer((s) => s.destroy());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const { port } = server.address() as AddressInfo;
    try {
      expect(await probeAddress({ host: '127.0.0.1', port }, 500)).toBe('open');
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
    expect(await probeAddress({ host: '127.0.0.1', port }, 500)).toBe('refused');
  });
});
