import { describe, expect, it } from 'vitest';
import { SN_IMPACT_URGENCY } from '../../../src/connectors/servicenow/outbound-mapping.ts';
import { newIncidentFields, statusPatch } from '../../../src/connectors/servicenow/outbound-ticketing.ts';

describe('servicenow ticketing (pure)', () => {
  it('writes impact and urgency, never priority, as strings', () => {
    expect(newIncidentFields({ summary: 's', description: 'd', priority: 3 })).toEqual({
      short_description: 's',
      description: 'd',
      impact: '2',
      urgency: '2',
    });
    for (const pair of Object.values(SN_IMPACT_URGENCY)) expect(typeof pair.impact).toBe('string');
  });

  it('resolving carries close code and notes; closing keeps existing ones unless given', () => {
    expect(statusPatch('resolved', undefined, {})).toEqual({
      state: '6',
      close_code: 'Solution provided',
      close_notes: expect.any(String),
    });
    expect(statusPatch('resolved', { code: 'Workaround provided', notes: 'n' }, {})).toEqual({
      state: '6',
      close_code: 'Workaround provided',
      close_notes: 'n',
    });
    expect(statusPatch('closed', undefined, {})).toEqual({ state: '7' });
    expect(statusPatch('in_progress', { code: 'x' }, {})).toEqual({ state: '2' });
  });
});
