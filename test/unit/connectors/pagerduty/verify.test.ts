import { describe, expect, it } from 'vitest';
import { pagerdutyInbound } from '../../../../src/connectors/pagerduty/index.ts';
import { fixtureNames, flipChar, hmac, loadFixture, loadPagerdutySignature, request } from '../fixtures.ts';

const verify = (body: Buffer, header: string | undefined, secrets: readonly string[]) =>
  pagerdutyInbound.verify(request(body, header === undefined ? {} : { 'x-pagerduty-signature': header }), secrets);

const names = fixtureNames('pagerduty');

describe('pagerduty verify: real signed deliveries', () => {
  it('has a signed delivery for every fixture', () => {
    expect(names).toEqual([
      'incident.acknowledged',
      'incident.annotated',
      'incident.resolved',
      'incident.triggered',
      'pagey.ping',
    ]);
  });

  it.each(names)('%s verifies with the published secret and header', (name) => {
    const { raw } = loadFixture('pagerduty', name);
    const { secret, header } = loadPagerdutySignature(name);
    expect(verify(raw, header, [secret])).toBe(true);
  });

  it.each(names)('%s fails with a one-character change in the body', (name) => {
    const { raw } = loadFixture('pagerduty', name);
    const { secret, header } = loadPagerdutySignature(name);
    const tampered = Buffer.from(raw);
    const at = raw.indexOf('"id":"') + 6;
    tampered[at] = tampered[at] === 0x41 ? 0x42 : 0x41;
    expect(verify(tampered, header, [secret])).toBe(false);
  });

  it.each(names)('%s fails with a one-character change in the signature', (name) => {
    const { raw } = loadFixture('pagerduty', name);
    const { secret, header } = loadPagerdutySignature(name);
    expect(verify(raw, flipChar(header, header.length - 1), [secret])).toBe(false);
    expect(verify(raw, flipChar(header, 3), [secret])).toBe(false);
  });
});

describe('pagerduty verify: rotation and malformed headers', () => {
  const name = 'incident.triggered';
  const { raw } = loadFixture('pagerduty', name);
  const { secret, header } = loadPagerdutySignature(name);
  const next = 'next-signing-secret-0123456789abcdef';

  it('accepts with the matching secret among several', () => {
    expect(verify(raw, header, [next, secret])).toBe(true);
  });

  it('accepts several comma-separated signatures when any matches', () => {
    expect(verify(raw, `v1=${hmac(next, raw)},${header}`, [secret])).toBe(true);
    expect(verify(raw, `${header}, v1=${hmac(next, raw)}`, [next])).toBe(true);
  });

  it('skips entries of other signature versions', () => {
    expect(verify(raw, `v2=abc,${header}`, [secret])).toBe(true);
    expect(verify(raw, header.replace('v1=', 'v2='), [secret])).toBe(false);
  });

  it('rejects the wrong secret', () => {
    expect(verify(raw, header, [next])).toBe(false);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['bare hex', header.slice(3)],
    ['base64 digest', `v1=${hmac(secret, raw, 'base64')}`],
    ['only commas', ',,'],
  ])('rejects a %s header', (_label, value) => {
    expect(verify(raw, value, [secret])).toBe(false);
  });

  it('rejects when no usable secret is configured', () => {
    expect(verify(raw, header, [])).toBe(false);
    expect(verify(raw, `v1=${hmac('', raw)}`, [''])).toBe(false);
  });
});
