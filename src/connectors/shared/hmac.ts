import { createHmac, timingSafeEqual } from 'node:crypto';

/** HMAC-SHA256 of the raw body, as raw bytes. */
export function hmacSha256(secret: string, body: Buffer): Buffer {
  return createHmac('sha256', secret).update(body).digest();
}

/**
 * Constant-time compare of a presented digest with the expected one.
 * Length is checked first because timingSafeEqual throws on unequal lengths; the length of an
 * HMAC-SHA256 digest is public, so that early return leaks nothing.
 */
export function digestsEqual(expected: Buffer, presented: Buffer): boolean {
  return expected.length === presented.length && timingSafeEqual(expected, presented);
}

const HEX_64 = /^[0-9a-fA-F]{64}$/;
const BASE64_44 = /^[A-Za-z0-9+/]{43}=$/;

/** Decode a presented SHA-256 digest written as 64 hex characters or 44 base64 characters. */
export function decodeDigest(text: string): Buffer | undefined {
  if (HEX_64.test(text)) return Buffer.from(text, 'hex');
  if (BASE64_44.test(text)) return Buffer.from(text, 'base64');
  return undefined;
}

/** True when any of the secrets (several during rotation) produced any of the presented digests. */
export function verifyAny(secrets: readonly string[], body: Buffer, presented: readonly Buffer[]): boolean {
  let ok = false;
  // No early exit: every secret × digest pair is compared, so timing does not reveal which matched.
  for (const secret of secrets) {
    const expected = hmacSha256(secret, body);
    for (const digest of presented) if (digestsEqual(expected, digest)) ok = true;
  }
  return ok;
}

const HEX_ONLY = /^[0-9a-fA-F]{64}$/;
const hexDigest = (text: string) => (HEX_ONLY.test(text) ? Buffer.from(text, 'hex') : undefined);

/**
 * Verifies a signature header of comma-separated `<scheme><digest>` entries (Node joins a
 * repeated header with commas; PagerDuty sends one entry per active secret): true when any
 * usable secret signed the raw body as any entry says. Entries of other schemes are skipped;
 * an empty secret would let anyone sign, so it never counts.
 */
export function verifySignatureHeader(
  header: string | undefined,
  scheme: string,
  body: Buffer,
  secrets: readonly string[],
  decode: (digest: string) => Buffer | undefined = hexDigest,
): boolean {
  if (typeof header !== 'string') return false;
  const digests = header.split(',').flatMap((part) => {
    const entry = part.trim();
    const digest = entry.startsWith(scheme) ? decode(entry.slice(scheme.length)) : undefined;
    return digest ? [digest] : [];
  });
  const usable = secrets.filter((s) => s.length > 0);
  return digests.length > 0 && verifyAny(usable, body, digests);
}
