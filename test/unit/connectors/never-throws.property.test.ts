import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inboundSources } from '../../../src/connectors/inbound-sources.ts';
import { IncidentEvent, SOURCES, type Source } from '../../../src/domain/incident-event.ts';
import { fixtureNames, loadFixture, memberPaths, REMOVE, request, withMember } from './fixtures.ts';

const KINDS = ['event', 'ignored', 'invalid'];

/** Normalizes and checks the result is well-formed: never throws, one of three kinds, events valid. */
function check(source: Source, body: unknown): void {
  const result = inboundSources[source].normalize(body, request(JSON.stringify(body) ?? ''));
  expect(KINDS).toContain(result.kind);
  if (result.kind === 'event') expect(IncidentEvent.safeParse(result.event).success).toBe(true);
  if (result.kind === 'invalid') expect(result.issues.length).toBeGreaterThan(0);
  if (result.kind === 'ignored') expect(result.deliveryId.length).toBeGreaterThan(0);
}

/** A fixture with up to three members replaced by random JSON or removed. */
function mutatedFixture(source: Source) {
  const bodies = fixtureNames(source).map((name) => loadFixture(source, name).body);
  const edit = fc.record({ at: fc.nat(), value: fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant(REMOVE)) });
  return fc.tuple(fc.constantFrom(...bodies), fc.array(edit, { minLength: 1, maxLength: 3 })).map(([body, edits]) =>
    edits.reduce((current, { at, value }) => {
      const paths = memberPaths(current);
      return paths.length ? withMember(current, paths[at % paths.length] ?? [], value) : current;
    }, body),
  );
}

describe.each(SOURCES)('%s normalize never throws', (source) => {
  it('on any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (body) => check(source, body)),
      { numRuns: 200 },
    );
  });

  it('on fixtures with members replaced or removed', () => {
    fc.assert(
      fc.property(mutatedFixture(source), (body) => check(source, body)),
      { numRuns: 200 },
    );
  });
});

describe.each(SOURCES)('%s verify never throws', (source) => {
  it('on any header text and body', () => {
    const header = { servicenow: 'x-mim-signature', jira: 'x-hub-signature', pagerduty: 'x-pagerduty-signature' }[
      source
    ];
    fc.assert(
      fc.property(
        fc.string(),
        fc.uint8Array({ maxLength: 64 }),
        fc.array(fc.string(), { maxLength: 3 }),
        (value, body, secrets) => {
          expect(inboundSources[source].verify(request(Buffer.from(body), { [header]: value }), secrets)).toBe(false);
        },
      ),
      { numRuns: 100 },
    );
  });
});
