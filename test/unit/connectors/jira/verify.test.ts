import { describe, expect, it } from 'vitest';
import { jiraInbound } from '../../../../src/connectors/jira/index.ts';
import { flipChar, hmac, loadFixture, request } from '../fixtures.ts';

const SECRET = 'jira-admin-webhook-secret';
const NEXT_SECRET = 'jira-admin-webhook-secret-next';
const { raw } = loadFixture('jira', 'issue_updated.resolved');
const verify = (header: string | undefined, secrets: readonly string[] = [SECRET], body: Buffer = raw) =>
  jiraInbound.verify(request(body, header === undefined ? {} : { 'x-hub-signature': header }), secrets);

describe('jira verify', () => {
  it('accepts X-Hub-Signature sha256=<hex> of the raw body', () => {
    expect(verify(`sha256=${hmac(SECRET, raw)}`)).toBe(true);
  });

  it('accepts either secret during rotation', () => {
    expect(verify(`sha256=${hmac(SECRET, raw)}`, [NEXT_SECRET, SECRET])).toBe(true);
    expect(verify(`sha256=${hmac(NEXT_SECRET, raw)}`, [NEXT_SECRET, SECRET])).toBe(true);
  });

  it('accepts a repeated header (joined with commas) when one value matches', () => {
    expect(verify(`sha256=${hmac('stale', raw)},sha256=${hmac(SECRET, raw)}`)).toBe(true);
  });

  it('rejects a signature made with another secret', () => {
    expect(verify(`sha256=${hmac(NEXT_SECRET, raw)}`)).toBe(false);
  });

  it('rejects a one-character change in the body', () => {
    const tampered = Buffer.from(raw.toString('utf8').replace('"Unit test summary 1"', '"Unit test summary 2"'));
    expect(tampered.equals(raw)).toBe(false);
    expect(verify(`sha256=${hmac(SECRET, raw)}`, [SECRET], tampered)).toBe(false);
  });

  it('rejects a one-character change in the signature', () => {
    const hex = hmac(SECRET, raw);
    for (const index of [0, 31, 63]) expect(verify(`sha256=${flipChar(hex, index)}`)).toBe(false);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['no scheme', hmac(SECRET, raw)],
    ['sha1 scheme', `sha1=${hmac(SECRET, raw)}`],
    ['base64 digest (Jira sends hex)', `sha256=${hmac(SECRET, raw, 'base64')}`],
    ['truncated digest', `sha256=${hmac(SECRET, raw).slice(0, 40)}`],
  ])('rejects a %s header', (_label, header) => {
    expect(verify(header)).toBe(false);
  });

  it('rejects when no usable secret is configured', () => {
    expect(verify(`sha256=${hmac(SECRET, raw)}`, [])).toBe(false);
    expect(verify(`sha256=${hmac('', raw)}`, [''])).toBe(false);
  });
});
