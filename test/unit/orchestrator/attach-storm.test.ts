import { describe, expect, it } from 'vitest';
import { parseIncidentKey } from '../../../src/orchestrator/attach-storm.ts';

describe('parseIncidentKey', () => {
  it('splits a source record key and refuses anything else', () => {
    expect(parseIncidentKey('servicenow/abc')).toEqual({ source: 'servicenow', recordId: 'abc' });
    expect(parseIncidentKey('jira/10042')).toEqual({ source: 'jira', recordId: '10042' });
    expect(parseIncidentKey('github/1')).toBeUndefined();
    expect(parseIncidentKey('servicenow/')).toBeUndefined();
    expect(parseIncidentKey('nokey')).toBeUndefined();
  });
});
