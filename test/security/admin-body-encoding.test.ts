import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stopAndClean, type TestService } from '../helpers/service.ts';
import { TOKENS, startAdminService } from './lib/admin-client.ts';

/**
 * Admin bodies are never decompressed: any Content-Encoding but identity is a 415 naming it, before
 * a byte is inflated. A malformed gzip, deflate or br body had been a 500 with an error-level stack
 * trace; a well-formed one is refused the same way, so there is one rule to know.
 */
let svc: TestService;
beforeAll(async () => {
  svc = await startAdminService();
});
afterAll(async () => {
  await stopAndClean(svc);
});

const JSON_BODY = Buffer.from(JSON.stringify({ token: TOKENS.viewer }));
const ENCODED = {
  gzip: {
    good: gzipSync(JSON_BODY),
    bad: Buffer.concat([gzipSync(JSON_BODY).subarray(0, 12), Buffer.from('not the rest of a gzip stream')]),
  },
  deflate: { good: deflateSync(JSON_BODY), bad: Buffer.from('\x78\x9cthis is no deflate stream', 'latin1') },
  br: { good: brotliCompressSync(JSON_BODY), bad: Buffer.from('\xff\xff\xff\xff brotli it is not', 'latin1') },
} as const;

const post = (path: string, encoding: string, body: Buffer, token?: string, method = 'POST') =>
  fetch(`${svc.url}${path}`, {
    method,
    body,
    headers: {
      'content-type': 'application/json',
      'content-encoding': encoding,
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
  });
const errorLines = () =>
  svc.logs.map((l) => JSON.parse(l) as { level: number; msg?: string }).filter((l) => l.level >= 50);

describe.each(['gzip', 'deflate', 'br'] as const)('a %s body', (encoding) => {
  it.each([
    ['POST /admin/session (no token needed)', 'POST', '/admin/session', undefined],
    ['POST /admin/major-incidents', 'POST', '/admin/major-incidents', TOKENS.operator],
    ['PATCH /admin/major-incidents/:id/roles', 'PATCH', '/admin/major-incidents/MI-1/roles', TOKENS.operator],
    ['PUT on the board', 'PUT', '/admin/queues/api/queues/timers/pause', TOKENS.operator],
  ])(
    'on %s, malformed or not, is 415 unsupported_content_encoding and logs no error',
    async (_what, method, path, token) => {
      const before = errorLines().length;
      for (const body of [ENCODED[encoding].bad, ENCODED[encoding].good]) {
        const res = await post(path, encoding, body, token, method);
        expect(res.status).toBe(415);
        expect(await res.json()).toEqual({
          error: 'unsupported_content_encoding',
          encoding,
          expected: 'identity (send admin bodies uncompressed)',
        });
      }
      expect(errorLines().slice(before)).toEqual([]);
    },
  );
});

it('an encoding nobody knows is named the same way', async () => {
  const res = await post('/admin/session', 'x-squeeze', JSON_BODY);
  expect(res.status).toBe(415);
  expect(await res.json()).toMatchObject({ error: 'unsupported_content_encoding', encoding: 'x-squeeze' });
});

it('identity is a body like any other', async () => {
  expect((await post('/admin/session', 'identity', JSON_BODY)).status).toBe(201);
});
