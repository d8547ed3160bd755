import { describe, expect, it } from 'vitest';
import { planTransitionFields } from '../../../src/connectors/jira/outbound-transition-fields.ts';

/** FieldMetadata as `GET …/transitions?expand=transitions.fields` gives it (the parts the plan reads). */
const resolution = (required: boolean, hasDefaultValue = false) => ({
  required,
  name: 'Resolution',
  hasDefaultValue,
  allowedValues: [
    { id: '10000', name: 'Done' },
    { id: '10001', name: "Won't Do" },
  ],
});

describe('planTransitionFields', () => {
  it('sends the configured value of each field on the screen, and nothing the screen does not show', () => {
    expect(
      planTransitionFields(
        { resolution: resolution(true) },
        { resolution: { name: 'Done' }, customfield_10050: { value: 'x' } },
      ),
    ).toEqual({ kind: 'fields', fields: { resolution: { name: 'Done' } } });
  });

  it('fills an optional field it has a value for', () => {
    expect(planTransitionFields({ resolution: resolution(false) }, { resolution: { id: '10001' } })).toEqual({
      kind: 'fields',
      fields: { resolution: { id: '10001' } },
    });
  });

  it('names a required field without a value, unless Jira has a default for it', () => {
    expect(planTransitionFields({ resolution: resolution(true) }, {})).toEqual({
      kind: 'problems',
      problems: [{ id: 'resolution', name: 'Resolution', reason: 'not configured' }],
    });
    expect(planTransitionFields({ resolution: resolution(true, true) }, {})).toEqual({ kind: 'fields', fields: {} });
    expect(planTransitionFields({ customfield_1: { required: true } }, {})).toEqual({
      kind: 'problems',
      problems: [{ id: 'customfield_1', name: 'customfield_1', reason: 'not configured' }],
    });
  });

  it('names the allowed values when the configured name is not one of them', () => {
    expect(planTransitionFields({ resolution: resolution(true) }, { resolution: { name: 'Fixed' } })).toEqual({
      kind: 'problems',
      problems: [{ id: 'resolution', name: 'Resolution', reason: '"Fixed" is not one of "Done", "Won\'t Do"' }],
    });
  });

  it('has nothing to send for a transition without a screen', () => {
    expect(planTransitionFields({}, { resolution: { name: 'Done' } })).toEqual({ kind: 'fields', fields: {} });
  });
});
