import type { MappingsFile } from '../config/files/schema-mappings.ts';
import type { IncidentEvent } from '../domain/incident-event.ts';
import type { MajorIncident } from '../domain/major-incident.ts';
import type { ActionJob } from '../domain/action.ts';

/**
 * Field sync between the major incident's ServiceNow record and its Jira issue, by field id
 * (mappings.yaml `fields`). Today: priority. Who wins (docs/sync.md#field-ownership-and-conflicts):
 * - the owning system's change is applied to the other;
 * - a change in the system that does not own the field is a conflict: recorded, and the owner's
 *   value is written back so both systems agree again;
 * - `owner: both`: last writer by the source's own update time wins; an older change loses.
 * Pure: the orchestrator applies the plan (the field's current value, the jobs, the timeline).
 */

type Ticketing = 'servicenow' | 'jira';

/** The last accepted value of a synced field and which change set it. */
export interface SyncedField {
  readonly value: number;
  readonly source: Ticketing;
  readonly at: string;
}

export interface FieldSyncInput {
  readonly mi: MajorIncident;
  readonly event: IncidentEvent;
  readonly mappings: MappingsFile;
  readonly current?: SyncedField;
}

export type FieldSyncPlan =
  | { readonly kind: 'none' }
  | {
      readonly kind: 'apply';
      readonly field: 'priority';
      readonly next: SyncedField;
      readonly jobs: ActionJob[];
      readonly detail: Record<string, unknown>;
    }
  | {
      readonly kind: 'conflict';
      readonly field: 'priority';
      readonly jobs: ActionJob[];
      readonly detail: Record<string, unknown>;
    };

const OTHER = { servicenow: 'jira', jira: 'servicenow' } as const satisfies Record<Ticketing, Ticketing>;

/** The record that speaks for the major incident in each system (children never do). */
export function primaryRecord(mi: MajorIncident, system: Ticketing): string | undefined {
  if (mi.origin.source === system) return mi.origin.recordId;
  return system === 'servicenow' ? mi.links.servicenow?.sysId : mi.links.jira?.id;
}

/** Canonical priority → ServiceNow impact and urgency: the first cell of the matrix that gives it. */
export function impactUrgencyFor(
  priority: number,
  matrix: MappingsFile['priority']['matrix'],
): { impact: number; urgency: number } | undefined {
  for (const [i, row] of matrix.entries()) {
    const u = row.indexOf(priority);
    if (u >= 0) return { impact: i + 1, urgency: u + 1 };
  }
  return undefined;
}

export function jiraPriorityName(
  priority: number,
  names: MappingsFile['priority']['jira']['names'],
): string | undefined {
  return Object.entries(names).find(([, p]) => p === priority)?.[0];
}

/** The job that writes `priority` to `system`'s record; undefined when the mapping has no value for it. */
export function priorityWriteJob(
  mi: MajorIncident,
  system: Ticketing,
  priority: number,
  mappings: MappingsFile,
  because: string,
): ActionJob | undefined {
  const base = { majorIncidentId: mi.id, effect: 'sync', step: 0, round: 0, channel: `priority/${because}` };
  if (system === 'servicenow') {
    const iu = impactUrgencyFor(priority, mappings.priority.matrix);
    return iu && { ...base, do: 'servicenow.set_priority', target: 'servicenow', params: { priority, ...iu } };
  }
  const name = jiraPriorityName(priority, mappings.priority.jira.names);
  return name
    ? {
        ...base,
        do: 'jira.set_priority',
        target: 'jira',
        params: { priority, name, fieldId: mappings.priority.jira.fieldId },
      }
    : undefined;
}

/**
 * Did this event change the priority? By field id when the source lists them; otherwise by comparing with what we hold.
 */
function changedPriority(
  event: IncidentEvent,
  mappings: MappingsFile,
  held: number | undefined,
  heldSince: string | undefined,
): boolean {
  const ids = event.source === 'jira' ? [mappings.priority.jira.fieldId] : ['priority', 'impact', 'urgency'];
  if (event.changedFields.length) return event.changedFields.some((f) => ids.includes(f));
  // A record read as it was before the held priority was set (declaring raises it; the accept write
  // follows) tells nothing new about it: a swept P3 origin must not lower a just-declared P1.
  if (heldSince && Date.parse(event.updatedAt) <= Date.parse(heldSince)) return false;
  return event.priority !== held;
}

export function planFieldSync({ mi, event, mappings, current }: FieldSyncInput): FieldSyncPlan {
  if (event.source === 'pagerduty' || event.priority === undefined) return { kind: 'none' };
  const source = event.source;
  if (primaryRecord(mi, source) !== event.recordId) return { kind: 'none' };
  const rule = mappings.fields.find((f) => f.servicenow === 'priority' && f.jira === mappings.priority.jira.fieldId);
  if (!rule) return { kind: 'none' };
  const held = current?.value ?? mi.priority;
  if (!changedPriority(event, mappings, held, current?.at ?? mi.declaredAt) || event.priority === held)
    return { kind: 'none' };
  const other = OTHER[source];
  const because = `${source}/${event.recordId}@${event.updatedAt}`;
  const record = { source, recordId: event.recordId, ...(event.number ? { number: event.number } : {}) };
  const olderThanHeld =
    current !== undefined && current.source !== source && Date.parse(event.updatedAt) < Date.parse(current.at);
  const ownerElsewhere = rule.owner === other;
  if ((ownerElsewhere || (rule.owner === 'both' && olderThanHeld)) && held !== undefined) {
    const restore = priorityWriteJob(mi, source, held, mappings, because);
    return {
      kind: 'conflict',
      field: 'priority',
      jobs: restore ? [restore] : [],
      detail: {
        field: 'priority',
        record,
        value: event.priority,
        kept: held,
        owner: rule.owner,
        reason: ownerElsewhere
          ? `${other} owns priority`
          : `a newer change in ${current?.source} wins (last writer by source time)`,
      },
    };
  }
  const next: SyncedField = { value: event.priority, source, at: event.updatedAt };
  // Planned even when the other record does not exist yet: its executor waits for it or skips.
  const job = priorityWriteJob(mi, other, event.priority, mappings, because);
  return {
    kind: 'apply',
    field: 'priority',
    next,
    jobs: job ? [job] : [],
    detail: { field: 'priority', record, from: held ?? null, to: event.priority, owner: rule.owner },
  };
}
