import { describe, expect, it } from 'vitest';
import { servicenowInbound } from '../../../../src/connectors/servicenow/index.ts';
import { flipChar, hmac, loadFixture, request } from '../fixtures.ts';

const SECRET = 'sn-webhook-secret-2025';
const NEXT_SECRET = 'sn-webhook-secret-2026';
const { raw } = loadFixture('servicenow', 'update.major-proposed');
const verify = (header: string | undefined, secrets: readonly string[] = [SECRET], body: Buffer = raw) =>
  servicenowInbound.verify(request(body, header === undefined ? {} : { 'x-mim-signature': header }), secrets);

describe('servicenow verify', () => {
  it('accepts a hex digest', () => {
    expect(verify(`sha256=${hmac(SECRET, raw, 'hex')}`)).toBe(true);
  });

  it('accepts upper-case hex', () => {
    expect(verify(`sha256=${hmac(SECRET, raw, 'hex').toUpperCase()}`)).toBe(true);
  });

  it('accepts the base64 digest GlideCertificateEncryption.generateMac returns', () => {
    const b64 = hmac(SECRET, raw, 'base64');
    expect(b64).toHaveLength(44);
    expect(verify(`sha256=${b64}`)).toBe(true);
  });

  it('accepts either secret during rotation', () => {
    expect(verify(`sha256=${hmac(SECRET, raw)}`, [SECRET, NEXT_SECRET])).toBe(true);
    expect(verify(`sha256=${hmac(NEXT_SECRET, raw, 'base64')}`, [SECRET, NEXT_SECRET])).toBe(true);
  });

  it('accepts when any of several presented signatures matches', () => {
    expect(verify(`sha256=${hmac('other', raw)}, sha256=${hmac(NEXT_SECRET, raw)}`, [NEXT_SECRET])).toBe(true);
  });

  it('rejects a signature made with another secret', () => {
    expect(verify(`sha256=${hmac('not-the-secret', raw)}`)).toBe(false);
  });

  it('rejects a one-character change in the body', () => {
    const tampered = Buffer.from(raw);
    tampered[100] = tampered[100] === 0x61 ? 0x62 : 0x61;
    expect(verify(`sha256=${hmac(SECRET, raw)}`, [SECRET], tampered)).toBe(false);
  });

  it('rejects a one-character change in a hex or base64 signature', () => {
    expect(verify(`sha256=${flipChar(hmac(SECRET, raw, 'hex'), 10)}`)).toBe(false);
    expect(verify(`sha256=${flipChar(hmac(SECRET, raw, 'base64'), 10)}`)).toBe(false);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['no scheme', hmac(SECRET, raw)],
    ['other scheme', `sha1=${hmac(SECRET, raw)}`],
    ['empty digest', 'sha256='],
    ['63 hex characters', `sha256=${hmac(SECRET, raw).slice(1)}`],
    ['base64 without padding', `sha256=${hmac(SECRET, raw, 'base64').slice(0, 43)}`],
    ['not a digest', 'sha256=zzzz'],
  ])('rejects a %s header', (_label, header) => {
    expect(verify(header)).toBe(false);
  });

  it('rejects when no secret is configured, or only an empty one', () => {
    expect(verify(`sha256=${hmac(SECRET, raw)}`, [])).toBe(false);
    expect(verify(`sha256=${hmac('', raw)}`, [''])).toBe(false);
  });
});
