import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECRETS, startTestService, stopAndClean, type TestService } from '../helpers/service.ts';
import { snRecord } from '../helpers/servicenow-record.ts';
import { signedHeaders } from '../helpers/sign.ts';

/**
 * Issue #16 item 8: a malformed gzip, deflate or br body on /webhooks/* got a 500 and an
 * error-level stack trace. No vendor compresses its webhooks, so every Content-Encoding but
 * identity is refused with 415 naming it, before the body is read.
 */
let svc: TestService;
beforeAll(async () => {
  svc = await startTestService();
});
afterAll(async () => {
  await stopAndClean(svc);
});

const plain = Buffer.from(JSON.stringify(snRecord({ sys_id: 'b0000000000000000000000000000001', sys_mod_count: '1' })));

async function send(wire: Buffer, encoding: string | undefined, signedOver: Buffer = plain) {
  const headers = {
    ...signedHeaders('servicenow', SECRETS.servicenow, signedOver),
    ...(encoding === undefined ? {} : { 'content-encoding': encoding }),
  };
  const res = await fetch(`${svc.url}/webhooks/servicenow`, { method: 'POST', body: wire, headers });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('a webhook body with a Content-Encoding', () => {
  it.each([
    ['gzip', gzipSync(plain)],
    ['deflate', deflateSync(plain)],
    ['br', brotliCompressSync(plain)],
    ['gzip', gzipSync(plain).subarray(0, 20)],
    ['gzip', plain],
    ['deflate', Buffer.from('not deflate at all')],
    ['br', Buffer.from([0xff, 0xff, 0xff, 0xff])],
    ['x-compress', plain],
    ['GZIP', gzipSync(plain)],
    ['gzip, identity', gzipSync(plain)],
  ])('%s is refused with 415 naming the encoding', async (encoding, wire) => {
    expect(await send(wire, encoding)).toEqual({
      status: 415,
      body: {
        error: 'unsupported_content_encoding',
        field: 'content-encoding',
        encoding: encoding.toLowerCase(),
        expected: 'identity',
      },
    });
  });

  it('identity, or none, is the plain body', async () => {
    expect((await send(plain, 'identity')).status).toBe(202);
    expect((await send(plain, undefined)).status).toBe(200);
  });

  it('is a client fault: logged as a warning, never an error with a stack', () => {
    const lines = svc.logs.filter((l) => l.includes('"outcome":"unsupported_encoding"'));
    expect(lines.length).toBeGreaterThanOrEqual(10);
    for (const line of lines) expect(JSON.parse(line)).toMatchObject({ level: 40, status: 415 });
    const errors = svc.logs.filter(
      (l) => JSON.parse(l).level >= 50 && /"msg":"(webhook |unhandled error in request)/.test(l),
    );
    expect(errors).toEqual([]);
  });
});
