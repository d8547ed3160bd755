import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { encode, encoding } from './encodings.ts';
import { SEEDS, SOURCES } from './fixtures.ts';
import { toJsonText, type Json } from './json-text.ts';
import { mutateText, mutateTree, mutation, textMutation } from './mutate.ts';
import { LONE_SURROGATES, nastyString, nastyUnit, nastyValue } from './nasty-values.ts';
import { VIEWER_TOKEN } from './fuzz-service.ts';

/** The admin API's body limit (src/http/admin/body.ts). */
const ADMIN_LIMIT = 256 * 1024;

export const ADMIN_ENDPOINTS = ['/admin/rules/simulate', '/admin/rules/validate', '/admin/session'] as const;
export type AdminEndpoint = (typeof ADMIN_ENDPOINTS)[number];

/** What each endpoint may answer to anything a viewer sends; every other status, and any 5xx, is a finding. */
const FITS: Record<AdminEndpoint, readonly number[]> = {
  '/admin/rules/simulate': [200, 400, 409, 413, 415, 422],
  '/admin/rules/validate': [200, 400, 403, 413, 415, 422],
  '/admin/session': [201, 400, 401, 413, 415],
};

export interface AdminCase {
  readonly endpoint: AdminEndpoint;
  readonly note: string;
  readonly plain: Buffer;
  readonly wire: Buffer;
  readonly headers: Record<string, string>;
  readonly allowed: readonly number[];
}

const EVENTS_DIR = 'test/fixtures/config/events';
const events = readdirSync(EVENTS_DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(path.join(EVENTS_DIR, f), 'utf8')) as Json);
const RULES = readFileSync('config/rules.yaml', 'utf8');

/**
 * Drafts a viewer may dry-run: the shipped rules with a rule added whose condition is costly
 * (catastrophic backtracking against a long title, nested comprehensions, growing strings), or
 * with a line replaced by a classic attack on a YAML pipeline (alias bombs, deep flow nesting,
 * tags) or by any hostile text.
 */
/** Each costly condition with the title that makes it costly (a near-miss for a backtracking regex). */
const COSTLY: ReadonlyArray<readonly [string, string]> = [
  ['incident.title.matches("^(a+)+$")', `${'a'.repeat(40)}!`],
  ['incident.title.matches("(x+x+)+y")', 'x'.repeat(40)],
  ['incident.title.matches("(.*a){25}")', 'a'.repeat(60)],
  [
    '[1,2,3,4,5,6,7,8,9,10].all(a, [1,2,3,4,5,6,7,8,9,10].all(b, [1,2,3,4,5,6,7,8,9,10].all(c, ' +
      '[1,2,3,4,5,6,7,8,9,10].all(d, a + b + c + d > 0))))',
    'all',
  ],
  [
    'incident.title + incident.title + incident.title + incident.title + incident.title + incident.title == ""',
    'a'.repeat(50_000),
  ],
  [`incident.title == "${LONE_SURROGATES[0]}"`, LONE_SURROGATES[0]],
];

const ATTACK_LINES = [
  'a: &a ["x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b]\nd: ' +
    '&d [*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d]',
  `x: ${'['.repeat(5_000)}${']'.repeat(5_000)}`,
  '!!js/function "function () { return 1 }"',
  `    description: ${LONE_SURROGATES[0]}`,
];

const withRule = (when: string) =>
  RULES.replace(
    'rules:\n',
    `rules:\n  - id: fuzz-costly\n    description: a costly draft rule\n    when: ` +
      `'${when.replaceAll("'", "''")}'\n    then: declare\n`,
  );

const draft = fc.oneof(
  fc.constantFrom(...COSTLY).map(([when, title]) => ({ rules: withRule(when), title })),
  fc
    .tuple(
      fc.nat(),
      fc.oneof(fc.constantFrom(...ATTACK_LINES), nastyString),
      fc.oneof(nastyString, fc.constant('a'.repeat(50_000))),
    )
    .map(([line, text, title]) => {
      const lines = RULES.split('\n');
      lines[line % lines.length] = text;
      return { rules: lines.join('\n'), title };
    }),
);

const simulateSeed: fc.Arbitrary<{ name: string; body: Json }> = fc.oneof(
  fc
    .tuple(
      fc.constantFrom(...events),
      fc.oneof(fc.constant({}), fc.record({ storm_10m: fc.oneof(fc.nat(), nastyValue) })),
    )
    .map(([event, window]) => ({ name: 'simulate an event', body: { event, window } as Json })),
  fc.tuple(fc.constantFrom(...SOURCES), fc.nat()).map(([source, n]) => ({
    name: `simulate a ${source} payload`,
    body: { source, payload: SEEDS[source][n % SEEDS[source].length]!.body } as Json,
  })),
  fc.tuple(fc.constantFrom(...events), draft).map(([event, { rules, title }]) => ({
    name: 'simulate against a draft',
    body: { event: { ...(event as Record<string, Json>), title }, draft: { 'rules.yaml': rules } } as Json,
  })),
);

const seedFor = (endpoint: AdminEndpoint): fc.Arbitrary<{ name: string; body: Json }> => {
  switch (endpoint) {
    case '/admin/rules/simulate':
      return simulateSeed;
    case '/admin/rules/validate':
      return fc
        .oneof(
          fc.constantFrom(
            'config',
            './config',
            'test/fixtures/config',
            '/',
            '/proc',
            '/dev',
            '/dev/null',
            '/tmp',
            '..',
            '../..',
            'config/rules.yaml',
            'node_modules',
          ),
          nastyString,
        )
        .map((dir) => ({ name: 'validate a directory', body: { dir } }));
    case '/admin/session':
      return fc
        .oneof(
          fc.constant(VIEWER_TOKEN),
          nastyString,
          fc.string({ unit: nastyUnit, minLength: 4_000, maxLength: 5_000 }),
        )
        .map((token) => ({ name: 'log in', body: { token } }));
  }
};

const randomBody = fc.oneof(
  fc.jsonValue({ stringUnit: nastyUnit }).map((v) => ({ name: 'random JSON', body: v as Json })),
  nastyValue.map((v) => ({ name: 'random hostile value', body: v })),
);

export function adminCase(endpoint: AdminEndpoint): fc.Arbitrary<AdminCase> {
  return fc
    .record({
      seed: fc.oneof({ weight: 4, arbitrary: seedFor(endpoint) }, { weight: 1, arbitrary: randomBody }),
      mutations: fc.array(mutation, { maxLength: 3 }),
      text: textMutation,
      how: encoding,
      cut: fc.nat(),
      type: fc.oneof(
        { weight: 12, arbitrary: fc.constant('application/json') },
        { weight: 2, arbitrary: fc.constant('application/json; charset=utf-8') },
        { weight: 1, arbitrary: fc.constantFrom('text/plain', 'application/json; charset=latin1') },
      ),
    })
    .map((g) => {
      const plain = mutateText(toJsonText(mutateTree(g.seed.body, g.mutations)), g.text);
      const { wire, headers, allowed } = encode(plain, g.how, g.cut, ADMIN_LIMIT, FITS[endpoint]);
      const jsonType = g.type.startsWith('application/json') && !g.type.includes('latin1');
      const textNote = g.text.op === 'none' ? '' : ` + text ${g.text.op}`;
      const howNote = g.how === 'identity' ? '' : ` (${g.how})`;
      return {
        endpoint,
        note: `${g.seed.name} + [${g.mutations.map((m) => m.op).join(', ')}]${textNote}${howNote}`,
        plain,
        wire,
        headers: { ...headers, 'content-type': g.type, authorization: `Bearer ${VIEWER_TOKEN}` },
        // An empty body is no body: no type check applies to it.
        allowed:
          jsonType || wire.length === 0
            ? allowed
            : [...new Set([...allowed.filter((s) => s !== 200 && s !== 201), 415])],
      };
    });
}
