import type { IncidentRecords, Priority } from '../connectors/capabilities.ts';
import type { MajorIncident } from '../domain/major-incident.ts';
import type { ActionJob } from '../domain/action.ts';
import type { ActionExecutor } from '../domain/action.ts';
import { renderTemplate, type TemplateSet } from '../templates/index.ts';
import type { WrittenField } from '../orchestrator/fingerprints.ts';
import type { LatestUpdate } from '../orchestrator/latest-update.ts';
import { RECEIPT_PREFIX, ROUND_NOTE_CHANNEL } from '../orchestrator/round-note.ts';
import { roundNoteFor, type RoundNoteDeps } from './round-note-text.ts';
import { waitForRecord } from './await-record.ts';
import { EXERCISE_CATEGORY } from './exercise-marking.ts';
import { messageVars, type ServiceFacts } from './message-vars.ts';

export interface ServicenowExecutorDeps extends RoundNoteDeps {
  readonly records: IncidentRecords;
  readonly load: (id: string) => Promise<MajorIncident | undefined>;
  readonly service?: (id: string) => ServiceFacts | undefined;
  readonly templates?: () => TemplateSet;
  /**
   * Whether the active playbooks create a ServiceNow record for a major incident that has none
   * (`servicenow.create_incident`).
   */
  readonly createsRecords?: () => boolean;
  /** Remembers what we are about to write, so its echo is recognised (fingerprints.ts). */
  readonly remember?: (recordKey: string, writes: ReadonlyArray<readonly [WrittenField, string]>) => Promise<void>;
  /** The latest public update (`update.*` in the update templates). */
  readonly latestUpdate?: (id: string) => Promise<LatestUpdate | undefined>;
}

/** ServiceNow's incident state codes: 6 Resolved, 7 Closed (the `state` choice list of the incident table). */
const SN_RESOLVED = '6';
const SN_CLOSED = '7';

/** The record that speaks for the major incident in ServiceNow: the origin, or the one we created. */
function recordOf(mi: MajorIncident, records: IncidentRecords): { sysId: string; number?: string } | undefined {
  if (mi.origin.source === 'servicenow' && records.isRecordId(mi.origin.recordId))
    return { sysId: mi.origin.recordId, ...(mi.origin.number ? { number: mi.origin.number } : {}) };
  return mi.links.servicenow;
}

/**
 * The priority the accept write gives the origin record, or none when it already had it or a
 * higher one when the major incident was created (a P1 origin keeps its own impact and urgency,
 * which may be a different cell of the matrix). Priority is derived from impact × urgency, so we
 * write the pair (outbound-mapping.ts).
 */
function acceptedPriority(mi: MajorIncident): Priority | undefined {
  // A record we created for a Jira-origin major incident was created with the priority already.
  if (mi.priority === undefined || mi.origin.source !== 'servicenow') return undefined;
  if (mi.originPriority !== undefined && mi.originPriority <= mi.priority) return undefined;
  return mi.priority as Priority;
}

/**
 * After creating the ServiceNow record, the Jira issue links to it (the playbook's jira.remote_link ran before it
 * existed).
 */
const remoteLinkFollowUp = (mi: MajorIncident): ActionJob => ({
  majorIncidentId: mi.id,
  do: 'jira.remote_link',
  target: 'jira',
  effect: 'follow',
  step: 0,
  round: 0,
  channel: 'servicenow-record',
  params: {},
});

/**
 * Actions on the ServiceNow record of a major incident: the origin record, or the one
 * `servicenow.create_incident` made for a major incident that started in Jira. Every write to
 * it sets `correlation_id` to our id, the marker that find-before-create relies on.
 */
export function servicenowExecutor(deps: ServicenowExecutorDeps): ActionExecutor {
  const remember = deps.remember ?? (async () => {});
  const { records } = deps;
  return async (job, { jobId }) => {
    const mi = await deps.load(job.majorIncidentId);
    if (!mi) return { orphaned: true };
    const meta = { incidentId: mi.id, jobId };
    const marker = { correlation_id: records.correlationIdFor(mi.id), correlation_display: 'mim-bridge' };
    // A message's receipt writes nothing: its line goes on the timeline for the round's note to read.
    if (job.do === 'servicenow.work_note' && job.channel?.startsWith(RECEIPT_PREFIX))
      return { detail: { line: job.params.text ?? '', written: false } };
    // The round's note goes on the origin record only, as every write-back does (write-back.ts).
    if (job.do === 'servicenow.work_note' && job.channel === ROUND_NOTE_CHANNEL && mi.origin.source !== 'servicenow')
      return { detail: { skipped: `the major incident started in ${mi.origin.source}` } };
    if (job.do === 'servicenow.create_incident') {
      const existing = recordOf(mi, records);
      if (existing)
        return {
          detail: {
            sysId: existing.sysId,
            created: false,
            skipped: mi.origin.source === 'servicenow' ? 'the major incident started in ServiceNow' : 'already created',
          },
        };
      const service = deps.service?.(mi.serviceId);
      const text = deps.templates
        ? renderTemplate(
            deps.templates(),
            job.params.template ?? 'declared',
            'technical',
            messageVars(mi, service),
            'text',
          )
        : mi.title;
      const { impact, urgency } = records.impactUrgency((mi.priority ?? 3) as Priority);
      // Created already accepted as major: the decision was made in Jira, by rules or a person.
      const { sysId, number, created } = await records.createIncident(
        {
          short_description: `[${mi.id}] ${mi.title}`,
          description: text,
          impact,
          urgency,
          major_incident_state: 'accepted',
          // A drill's records: `category=exercise` lists them all, to close in bulk (docs/setup-servicenow.md).
          ...(mi.exercise ? { category: EXERCISE_CATEGORY } : {}),
        },
        meta,
      );
      return {
        links: [{ system: 'servicenow', value: { sysId, ...(number ? { number } : {}) } }],
        records: [`servicenow/${sysId}`],
        followUps: [remoteLinkFollowUp(mi)],
        detail: { sysId, number, created },
      };
    }
    const target = recordOf(mi, records);
    // A candidate gets its ServiceNow record only when declared (servicenow.create_incident is a declare step).
    if (!target)
      return waitForRecord(
        'servicenow',
        mi,
        'ServiceNow record',
        mi.state !== 'candidate' && (deps.createsRecords?.() ?? false),
      );
    const { sysId } = target;
    const recordKey = `servicenow/${sysId}`;
    switch (job.do) {
      case 'servicenow.set_major_state': {
        const value = job.params.value ?? 'accepted';
        const priority = value === 'accepted' ? acceptedPriority(mi) : undefined;
        const raise = priority === undefined ? {} : records.impactUrgency(priority);
        await remember(recordKey, [
          ['major_incident_state', value],
          ...(priority === undefined ? [] : [['priority', String(priority)] as const]),
        ]);
        await records.updateIncident(sysId, { major_incident_state: value, ...raise, ...marker }, meta);
        return {
          links: [{ system: 'servicenow', value: target }],
          detail: { sysId, major_incident_state: value, ...(priority === undefined ? {} : { priority, ...raise }) },
        };
      }
      case 'servicenow.resolve': {
        // The record usually resolved first (that is what resolved the MI); writing it again would re-run its business
        // rules.
        const state = await records.incidentState(sysId, meta);
        if (state === SN_RESOLVED || state === SN_CLOSED) return { detail: { sysId, skipped: 'already resolved' } };
        await remember(recordKey, [['state', 'resolved']]);
        await records.updateIncident(
          sysId,
          {
            state: SN_RESOLVED,
            close_code: job.params.closeCode ?? 'Solution provided',
            close_notes: `Resolved with major incident ${mi.id} (mim-bridge).`,
            ...marker,
          },
          meta,
        );
        return { detail: { sysId, state: SN_RESOLVED } };
      }
      case 'servicenow.comment':
      case 'servicenow.work_note': {
        if (job.do === 'servicenow.work_note' && job.channel === ROUND_NOTE_CHANNEL) {
          const note = await roundNoteFor(deps, 'servicenow', job.params.text ?? '', mi.id);
          if (typeof note !== 'string') return { detail: { sysId, skipped: note.skipped } };
          await records.addWorkNote(sysId, note, meta);
          return { detail: { sysId, field: 'work_notes', round: job.round } };
        }
        const text =
          job.params.text !== undefined
            ? job.params.text
            : deps.templates && job.params.template
              ? renderTemplate(
                  deps.templates(),
                  job.params.template,
                  'technical',
                  messageVars(mi, deps.service?.(mi.serviceId), await deps.latestUpdate?.(mi.id)),
                  'text',
                )
              : '';
        if (!text.trim()) return { detail: { sysId, skipped: 'nothing to write' } };
        // Journal fields: `comments` is customer-visible, `work_notes` internal; the job's `do` was chosen from the
        // source's visibility.
        if (job.do === 'servicenow.comment') await records.addComment(sysId, text, meta);
        else await records.addWorkNote(sysId, text, meta);
        return { detail: { sysId, field: job.do === 'servicenow.comment' ? 'comments' : 'work_notes' } };
      }
      case 'servicenow.link_child': {
        const child = job.params.childSysId;
        if (!records.isRecordId(child) || child === sysId) return { detail: { skipped: 'not a child record' } };
        // parent_incident is what the Major Incident workbench lists as child incidents.
        await records.updateIncident(child, { parent_incident: sysId }, meta);
        return {
          detail: { parent: sysId, child, ...(job.params.childNumber ? { childNumber: job.params.childNumber } : {}) },
        };
      }
      case 'servicenow.set_priority': {
        const priority = String(job.params.priority);
        await remember(recordKey, [['priority', priority]]);
        // Priority itself is derived by ServiceNow from impact × urgency; we write the pair (mappings.yaml matrix).
        await records.updateIncident(
          sysId,
          { impact: String(job.params.impact), urgency: String(job.params.urgency), ...marker },
          meta,
        );
        return {
          detail: { sysId, priority: Number(priority), impact: job.params.impact, urgency: job.params.urgency },
        };
      }
      default:
        return { detail: { skipped: `${job.do} is not executed by this version` } };
    }
  };
}
