import { createHmac } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import type { InboundRequest } from '../../../src/connectors/inbound-source.ts';
import type { Source } from '../../../src/domain/incident-event.ts';

const ROOT = new URL('../../fixtures/', import.meta.url);

export const RECEIVED_AT = new Date('2025-06-01T12:00:00.000Z');

/** Fixture base names (`incident.acknowledged`, …) of one vendor. */
export function fixtureNames(vendor: Source): string[] {
  return readdirSync(new URL(`${vendor}/`, ROOT))
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

export interface Fixture {
  readonly raw: Buffer;
  readonly body: unknown;
}

/** The stored bytes, exactly as the vendor sent them, and their parse. */
export function loadFixture(vendor: Source, name: string): Fixture {
  const raw = readFileSync(new URL(`${vendor}/${name}.json`, ROOT));
  return { raw, body: JSON.parse(raw.toString('utf8')) };
}

/** PagerDuty `.headers.txt`: the published signing secret and the signature header of the real delivery. */
export function loadPagerdutySignature(name: string): { secret: string; header: string } {
  const text = readFileSync(new URL(`pagerduty/${name}.headers.txt`, ROOT), 'utf8');
  const header = /^X-PagerDuty-Signature: (.+)$/m.exec(text)?.[1]?.trim();
  const secret = /^signing-secret[^:]*: (.+)$/m.exec(text)?.[1]?.trim();
  if (!header || !secret) throw new Error(`unreadable ${name}.headers.txt`);
  return { secret, header };
}

export function request(rawBody: Buffer | string, headers: Record<string, string> = {}): InboundRequest {
  return { rawBody: Buffer.isBuffer(rawBody) ? rawBody : Buffer.from(rawBody), headers, receivedAt: RECEIVED_AT };
}

export function hmac(secret: string, body: Buffer | string, encoding: 'hex' | 'base64' = 'hex'): string {
  return createHmac('sha256', secret).update(body).digest(encoding);
}

/** The same text with one character replaced by another of the same alphabet (so it still parses). */
export function flipChar(text: string, index: number): string {
  const c = text.charAt(index);
  const replacement = c === 'a' ? 'b' : c === 'A' ? 'B' : /[0-9]/.test(c) ? String((Number(c) + 1) % 10) : 'a';
  return text.slice(0, index) + replacement + text.slice(index + 1);
}

/** A copy of `value` with the member at `path` replaced, or removed when `replacement` is `REMOVE`. */
export const REMOVE = Symbol('remove');
export function withMember(value: unknown, path: readonly (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement === REMOVE ? undefined : replacement;
  if (typeof value !== 'object' || value === null) return value;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  const remove = rest.length === 0 && replacement === REMOVE;
  if (Array.isArray(value)) {
    const copy: unknown[] = [...value];
    if (remove) copy.splice(Number(head), 1);
    else copy[Number(head)] = withMember(copy[Number(head)], rest, replacement);
    return copy;
  }
  const copy: Record<string, unknown> = { ...value };
  if (remove) delete copy[head];
  else copy[head] = withMember(copy[head], rest, replacement);
  return copy;
}

/** Every member path of a JSON value, depth-first. */
export function memberPaths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== 'object' || value === null) return [];
  const entries: [string | number, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [i, v])
    : Object.entries(value);
  return entries.flatMap(([k, v]) => [[...prefix, k], ...memberPaths(v, [...prefix, k])]);
}
