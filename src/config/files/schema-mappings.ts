import { z } from 'zod';
import { INCIDENT_STATES } from '../../domain/incident-event.ts';

const Canonical = z.enum(INCIDENT_STATES);
const Priority = z.number().int().min(1).max(5);
const Row = z.array(Priority).length(3, 'three priorities, for urgency 1, 2 and 3');

export const MappingsFile = z.strictObject({
  priority: z.strictObject({
    matrix: z
      .array(Row)
      .length(3, 'three rows, for impact 1, 2 and 3')
      .describe("matrix[impact-1][urgency-1] = priority, as ServiceNow's priority lookup"),
    jira: z.strictObject({
      fieldId: z.string().min(1).default('priority').describe('Jira field id holding the priority'),
      names: z.record(z.string().min(1), Priority).describe('Jira priority name → canonical priority 1..5'),
    }),
  }),
  state: z.strictObject({
    servicenow: z
      .record(z.string().regex(/^\d+$/, 'a ServiceNow state value (digits)'), Canonical)
      .describe('ServiceNow incident state value → canonical state'),
    jira: z.strictObject({
      statusCategory: z
        .strictObject({
          new: Canonical.describe('canonical state of issues in the To Do category'),
          indeterminate: Canonical.describe('canonical state of issues in the In Progress category'),
          done: Canonical.describe('canonical state of issues in the Done category'),
        })
        .describe('Jira status category key → canonical state'),
    }),
  }),
  fields: z
    .array(
      z.strictObject({
        servicenow: z.string().min(1).describe('ServiceNow field id'),
        jira: z.string().min(1).describe('Jira field id'),
        owner: z.enum(['servicenow', 'jira', 'both']).describe("which system's change wins"),
      }),
    )
    .default([])
    .describe('fields kept in sync, by field id, never by value'),
});

export type MappingsFile = z.infer<typeof MappingsFile>;
