import { z } from 'zod';
import { SnMajorIncidentState } from './incident-event.ts';
import { Actor } from './major-incident.ts';

/**
 * What may move a major incident, with who asked and when. The state machine reads only the
 * type (and the ServiceNow value); `actor`, `at` and the rest are for the timeline.
 */
const base = { actor: Actor, at: z.iso.datetime({ offset: true }) };

export const RuleTrigger = z.object({
  type: z.enum(['rule.propose', 'rule.declare']),
  ruleId: z.string().min(1),
  ...base,
});

/** A Major Incident Manager (or ServiceNow itself) changing `major_incident_state`: honoured. */
export const MajorStateTrigger = z.object({
  type: z.literal('source.major_state'),
  value: SnMajorIncidentState,
  ...base,
});

/** The source incident itself ending or coming back, in ServiceNow or Jira. */
export const SourceRecordTrigger = z.object({
  type: z.enum(['source.resolved', 'source.closed', 'source.reopened', 'source.canceled']),
  source: z.enum(['servicenow', 'jira']),
  ...base,
});

/** From the admin API; a person acting by hand says why. */
export const ManualTrigger = z.object({
  type: z.enum(['manual.declare', 'manual.resolve', 'manual.cancel', 'manual.close']),
  reason: z.string().trim().min(1),
  ...base,
});

export const PirTrigger = z.object({ type: z.literal('pir.completed'), ...base });

export const LifecycleTrigger = z.discriminatedUnion('type', [
  RuleTrigger,
  MajorStateTrigger,
  SourceRecordTrigger,
  ManualTrigger,
  PirTrigger,
]);
export type LifecycleTrigger = z.infer<typeof LifecycleTrigger>;
export type LifecycleTriggerType = LifecycleTrigger['type'];

/**
 * The transition table's columns: every trigger type, with `source.major_state` split by its
 * value (`source.major_proposed`, ...), since each value moves the machine differently.
 */
export const TRIGGER_KEYS = [
  'rule.propose',
  'rule.declare',
  'source.major_proposed',
  'source.major_accepted',
  'source.major_rejected',
  'source.major_canceled',
  'source.resolved',
  'source.closed',
  'source.reopened',
  'source.canceled',
  'manual.declare',
  'manual.resolve',
  'manual.cancel',
  'manual.close',
  'pir.completed',
] as const satisfies readonly (
  | Exclude<LifecycleTriggerType, 'source.major_state'>
  | `source.major_${SnMajorIncidentState}`
)[];
// Every trigger type (and ServiceNow value) has a column: a new one fails to compile until added.
type Missing = Exclude<
  Exclude<LifecycleTriggerType, 'source.major_state'> | `source.major_${SnMajorIncidentState}`,
  (typeof TRIGGER_KEYS)[number]
>;
const complete: [Missing] extends [never] ? true : Missing = true;
void complete;

export const TriggerKey = z.enum(TRIGGER_KEYS);
export type TriggerKey = z.infer<typeof TriggerKey>;
/** The name the orchestrator already uses for a table column. */
export type TriggerType = TriggerKey;

export function triggerKey(trigger: LifecycleTrigger | TriggerKey): TriggerKey {
  if (typeof trigger === 'string') return trigger;
  return trigger.type === 'source.major_state' ? `source.major_${trigger.value}` : trigger.type;
}
