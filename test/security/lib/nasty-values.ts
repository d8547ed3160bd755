import fc from 'fast-check';
import { raw, type Json } from './json-text.ts';

/**
 * Hostile values for the fuzz: what a sender (or anyone holding a leaked webhook secret) can put
 * in a field. Each family is here because it has broken a JSON service somewhere: lone UTF-16
 * surrogates (valid in a JS string, refused by strict UTF-8 encoders such as Lua's cjson), text
 * that is huge or looks like syntax of some layer below (Redis keys, Liquid, CEL, paths), numbers
 * JavaScript cannot hold exactly, dates at the edges of what `Date` renders, deep nesting.
 */

export const LONE_SURROGATES = ['\ud800', '\udbff', '\udc00', '\udfff', '\udc00\ud800'] as const;

const ODD_CHARS = [
  '\u0000',
  '\u0001',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u00a0',
  '\u2028',
  '\u2029',
  '\ufeff',
  '\u202e',
  '\u200b',
  '\u200d',
  '\ufffd',
  '\uffff',
  'e\u0301\u0301\u0301',
  '👩‍👩‍👧‍👦',
  '𝕏',
  '中文',
  'ﷺ',
  '"',
  '\\',
  '/',
  '\n',
  '\r\n',
  '\t',
  '%',
  '*',
  '{',
  '}',
  ':',
  '$',
  '<',
  '>',
  '&',
  "'",
  '`',
] as const;

/** One unit of a hostile string: mostly plain, sometimes odd, sometimes half a surrogate pair. */
export const nastyUnit: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  { weight: 2, arbitrary: fc.constantFrom(...ODD_CHARS) },
  { weight: 1, arbitrary: fc.constantFrom(...LONE_SURROGATES) },
);

const TOKENS = [
  '',
  ' ',
  '   ',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'null',
  'true',
  'undefined',
  'NaN',
  'Infinity',
  '1e999',
  '-0',
  '0x1F',
  '1',
  '01',
  '1.0',
  '../../../../etc/passwd',
  '..\\..\\windows',
  '/dev/zero',
  '{mim}:dedup:*',
  '*',
  '?',
  '%s%n%x',
  '{{ 7 | times: 7 }}',
  '{% raw %}',
  '{% include "x" %}',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection payload, hostile on purpose.
  '${7*7}',
  '#{7*7}',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  'a\r\nX-Injected: 1',
  'redis.call("FLUSHALL")',
  'incident.priority == 1 || true',
  'Payroll',
  'Payroll\ud800',
  'INC0010042\udfff',
  'high',
  'P1',
  'resolved',
] as const;

/** Long text without building it character by character: a unit repeated up to 400,000 times. */
const longText = fc
  .tuple(
    nastyUnit,
    fc.oneof(
      { weight: 4, arbitrary: fc.integer({ min: 200, max: 5_000 }) },
      { weight: 1, arbitrary: fc.integer({ min: 5_000, max: 400_000 }) },
    ),
  )
  .map(([unit, n]) => unit.repeat(Math.max(1, Math.floor(n / unit.length))));

export const nastyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 12, arbitrary: fc.string({ unit: nastyUnit, maxLength: 40 }) },
  { weight: 6, arbitrary: fc.constantFrom(...TOKENS) },
  { weight: 1, arbitrary: longText },
);

/** ServiceNow's `YYYY-MM-DD HH:mm:ss` from year 0 to 9999, plus edges and impossible dates. */
export const snDateTime: fc.Arbitrary<string> = fc.oneof(
  fc
    .date({ min: new Date('0000-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 19).replace('T', ' ')),
  fc.constantFrom(
    '9999-12-31 23:59:59',
    '0000-01-01 00:00:00',
    '2999-01-01 00:00:00',
    '2100-01-01 00:00:00',
    '1970-01-01 00:00:00',
    '2038-01-19 03:14:08',
    '2025-02-29 00:00:00',
    '2024-12-31 23:59:60',
    '2026-13-01 00:00:00',
    '2026-11-20T09:05:00Z',
  ),
);

/** ISO 8601 instants, including `Date`'s six-digit years and the last four-digit one. */
export const isoDateTime: fc.Arbitrary<string> = fc.oneof(
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom(
    '+275760-09-13T00:00:00.000Z',
    '-271821-04-20T00:00:00.000Z',
    '9999-12-31T23:59:59.999Z',
    '0000-01-01T00:00:00Z',
    '2100-01-01T00:00:00Z',
    '2999-12-31T23:59:59+14:00',
    '2025-04-07T03:47:13.546-12:00',
    '2019-02-15T19:01:52.971-0800',
    '2025-04-07',
  ),
);

/** Epoch milliseconds, as Jira's `timestamp`: the edges of `Date`, past it, negative, fractional. */
export const epochMs: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, -1, 1.5, 253_402_300_799_999, 253_402_300_800_000, 8.64e15, 8.64e15 + 1, 1e20, 4_102_444_800_000),
  fc.integer({ min: -8.64e15, max: 8.64e15 }),
);

const oddNumber = fc.oneof(
  fc.constantFrom(0, -1, 1, 1.5, 6, 2 ** 31, 2 ** 53, 2 ** 53 + 2, 1e308, -1e308, 5e-324, Number.MAX_SAFE_INTEGER),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** Numbers JSON can spell but JavaScript cannot hold: infinities, -0, integers past 2^53, underflow. */
const numberLiteral = fc
  .constantFrom(
    '1e999',
    '-1e999',
    '-0',
    '123456789012345678901234567890',
    '0.0000000000000000000000000000001e-400',
    '1E+2',
    '-0.0e-0',
  )
  .map(raw);

/** Nesting as text, so building it never recurses here: `[[[…]]]` or `{"a":{"a":…}}`, up to 100,000 deep. */
const deepNesting = fc
  .tuple(fc.oneof(fc.integer({ min: 50, max: 2_000 }), fc.integer({ min: 2_000, max: 100_000 })), fc.boolean())
  .map(([depth, arrays]) =>
    raw(arrays ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`),
  );

/** Any hostile JSON value (strings weighted highest: most fields are strings). */
export const nastyValue: fc.Arbitrary<Json> = fc.oneof(
  { weight: 8, arbitrary: nastyString },
  { weight: 2, arbitrary: fc.oneof(snDateTime, isoDateTime) },
  { weight: 2, arbitrary: oddNumber },
  { weight: 1, arbitrary: epochMs },
  { weight: 1, arbitrary: numberLiteral },
  { weight: 1, arbitrary: fc.constantFrom<Json>(null, true, false, [], {}) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3, stringUnit: nastyUnit }) as fc.Arbitrary<Json> },
  { weight: 1, arbitrary: deepNesting },
);

/** Keys to add next to the real ones (prototype names, huge, empty). */
export const nastyKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    '',
    'value',
    'display_value',
    'record',
    'event',
    'id',
    'fields',
    'data',
  ),
  fc.string({ unit: nastyUnit, maxLength: 20 }),
);

/** A fresh id: 12–32 hex digits, so fuzzed deliveries are new, not duplicates of each other. */
export const freshId = fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 12, maxLength: 32 });

/** Header values (HTTP allows tab, printable ASCII and obs-text; anything else never reaches the server). */
export const headerValue: fc.Arbitrary<string> = fc.oneof(
  freshId,
  fc.string({
    unit: fc
      .integer({ min: 0x20, max: 0xff })
      .filter((c) => c !== 0x7f)
      .map((c) => String.fromCharCode(c)),
    maxLength: 60,
  }),
  fc.constantFrom(' ', '{mim}', 'a:b:c', '*', '../x', '\u00ff\u00fe'),
  fc.integer({ min: 1_000, max: 8_000 }).map((n) => 'i'.repeat(n)),
);
