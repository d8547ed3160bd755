import { describe, expect, it } from 'vitest';
import { inboundSources } from '../../../src/connectors/inbound-sources.ts';
import { SOURCES } from '../../../src/domain/incident-event.ts';
import { hmac, loadFixture, request } from './fixtures.ts';

describe('inboundSources', () => {
  it('has one connector per source, each naming its own source', () => {
    expect(Object.keys(inboundSources).sort()).toEqual([...SOURCES].sort());
    for (const source of SOURCES) expect(inboundSources[source].source).toBe(source);
  });

  it.each([
    ['servicenow', 'update.major-proposed', 'x-mim-signature', 'sha256='],
    ['jira', 'issue_updated.resolved', 'x-hub-signature', 'sha256='],
    ['pagerduty', 'incident.triggered', 'x-pagerduty-signature', 'v1='],
  ] as const)(
    '%s: a signed fixture verifies and normalizes to one of its own events',
    (source, name, header, scheme) => {
      const { raw, body } = loadFixture(source, name);
      const req = request(raw, { [header]: `${scheme}${hmac('s3cret', raw)}` });
      expect(inboundSources[source].verify(req, ['s3cret'])).toBe(true);
      const result = inboundSources[source].normalize(body, req);
      expect(result.kind === 'event' && result.event.source).toBe(source);
    },
  );
});
