import fc from 'fast-check';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';

/**
 * How a body travels: as it is (mostly), compressed in each encoding body-parser inflates, as a
 * broken gzip stream, in an encoding nobody supports, or as a small gzip that inflates past any
 * limit. Signatures are over the inflated bytes, which is what the service verifies.
 */
export type Encoding = 'identity' | 'gzip' | 'deflate' | 'br' | 'malformed' | 'unknown' | 'bomb';

export const encoding: fc.Arbitrary<Encoding> = fc.oneof(
  { weight: 50, arbitrary: fc.constant<Encoding>('identity') },
  { weight: 3, arbitrary: fc.constantFrom<Encoding>('gzip', 'deflate', 'br') },
  { weight: 2, arbitrary: fc.constantFrom<Encoding>('malformed', 'unknown') },
  { weight: 1, arbitrary: fc.constant<Encoding>('bomb') },
);

/** 16 MiB of spaces gzipped (~16 KiB): it must be refused as too large, not inflated into memory. */
const BOMB = gzipSync(Buffer.alloc(16 * 1024 * 1024, 0x20));

export interface Encoded {
  readonly wire: Buffer;
  readonly headers: Record<string, string>;
  /** The answers this body may get: `fits` when it arrives whole within `limit`. */
  readonly allowed: readonly number[];
}

/**
 * A compressed body may be inflated and handled like a plain one, or refused whole with 415 (the
 * webhooks refuse every content encoding: no vendor compresses); both are answers, a 5xx is not.
 */
export function encode(plain: Buffer, how: Encoding, cut: number, limit: number, fits: readonly number[]): Encoded {
  const whole = plain.length <= limit ? fits : [413];
  const compressed = (wire: Buffer, name: string): Encoded => ({
    wire,
    headers: { 'content-encoding': name },
    allowed: [...whole, 415],
  });
  switch (how) {
    case 'identity':
      return { wire: plain, headers: {}, allowed: whole };
    case 'gzip':
      return compressed(gzipSync(plain), 'gzip');
    case 'deflate':
      return compressed(deflateSync(plain), 'deflate');
    case 'br':
      return compressed(brotliCompressSync(plain), 'br');
    case 'bomb':
      return { wire: BOMB, headers: { 'content-encoding': 'gzip' }, allowed: [413, 415] };
    case 'unknown':
      return { wire: plain, headers: { 'content-encoding': 'x-compress' }, allowed: [415] };
    case 'malformed': {
      // A gzip stream cut short, or plain bytes said to be gzip: the client's error either way.
      const gz = gzipSync(plain);
      return {
        wire: cut % 2 ? gz.subarray(0, cut % gz.length) : plain,
        headers: { 'content-encoding': 'gzip' },
        allowed: [400, 413, 415],
      };
    }
  }
}
