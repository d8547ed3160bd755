import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { snRecord, wrapped } from '../../helpers/servicenow-record.ts';
import type { Json } from './json-text.ts';

export const SOURCES = ['servicenow', 'jira', 'pagerduty'] as const;
export type Source = (typeof SOURCES)[number];

export interface Seed {
  readonly name: string;
  readonly body: Json;
}

/** The vendors' own webhook payloads kept under test/fixtures/<vendor>/ (API responses and documents left out). */
function vendorFixtures(source: Source): Seed[] {
  const dir = path.join('test/fixtures', source);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json') && !f.includes('.response.') && !f.includes('openapi'))
    .sort()
    .map((f) => ({ name: `${source}/${f}`, body: JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as Json }));
}

/**
 * Every real payload per source, plus, for ServiceNow, records on a catalogued service (Payroll,
 * priority 1), so that mutated bodies also reach the rules, the lifecycle and the actions.
 */
export const SEEDS: Readonly<Record<Source, readonly Seed[]>> = {
  servicenow: [
    ...vendorFixtures('servicenow'),
    { name: 'snRecord() bare', body: snRecord() as Json },
    { name: 'snRecord() wrapped', body: wrapped(snRecord(), 'update', ['priority', 'short_description']) as Json },
    {
      name: 'snRecord() comment',
      body: wrapped(snRecord({ comments: 'Customer says it is back' }), 'comment', ['comments']) as Json,
    },
  ],
  jira: vendorFixtures('jira'),
  pagerduty: vendorFixtures('pagerduty'),
};
