import type { NewReview, TicketingConnector, TicketRef } from '../connectors/capabilities.ts';
import type { MajorIncident } from '../domain/major-incident.ts';
import type { ActionExecutor, ActionResult } from '../domain/action.ts';
import { renderTemplate, type TemplateSet } from '../templates/index.ts';
import type { WrittenField } from '../orchestrator/fingerprints.ts';
import type { LatestUpdate } from '../orchestrator/latest-update.ts';
import { RECEIPT_PREFIX, ROUND_NOTE_CHANNEL } from '../orchestrator/round-note.ts';
import { waitForRecord } from './await-record.ts';
import { roundNoteFor, type RoundNoteDeps } from './round-note-text.ts';
import { EXERCISE_LABEL } from './exercise-marking.ts';
import { messageVars, type ServiceFacts } from './message-vars.ts';

export interface RemoteLink {
  readonly globalId: string;
  readonly url: string;
  readonly title: string;
  readonly summary?: string;
}

type CallMeta = { incidentId: string; jobId: string };

/** Jira Service Management's extra: its major-incident field (connectors/jira/outbound-ticketing.ts). */
type JsmTicketing = TicketingConnector & {
  readonly markMajorIncident?: (ticket: TicketRef, on: boolean, meta: CallMeta) => Promise<boolean>;
};

export interface JiraExecutorDeps extends RoundNoteDeps {
  readonly ticketing: (project: string, issueType: string) => JsmTicketing;
  /** Adds or updates (same globalId) the link from the Jira issue back to the ServiceNow record. */
  readonly remoteLink?: (key: string, link: RemoteLink, meta: CallMeta) => Promise<void>;
  /** Creates (find-then-create on its own marker label) the post-incident review issue. */
  readonly createPir?: (pir: NewReview, meta: CallMeta) => Promise<{ id: string; key: string; created: boolean }>;
  readonly setPriority?: (key: string, fieldId: string, name: string, meta: CallMeta) => Promise<void>;
  /** ServiceNow instance URL, for links to the origin record. */
  readonly servicenowUrl?: string;
  readonly load: (id: string) => Promise<MajorIncident | undefined>;
  readonly service: (id: string) => (ServiceFacts & { jira?: { project: string; issueType: string } }) | undefined;
  readonly templates: () => TemplateSet;
  /** Milliseconds from resolution to the PIR's due date, by the service's tier (rules.yaml tiers.<n>.pirDue). */
  readonly pirDueMs?: (tier: number) => number;
  /**
   * Whether the active playbooks create the Jira issue (`jira.create_issue`), so a step without one should wait for it.
   */
  readonly createsIssues?: () => boolean;
  /** Remembers what we are about to write, so its echo is recognised (fingerprints.ts). */
  readonly remember?: (recordKey: string, writes: ReadonlyArray<readonly [WrittenField, string]>) => Promise<void>;
  /** The latest public update (`update.*` in the update templates). */
  readonly latestUpdate?: (id: string) => Promise<LatestUpdate | undefined>;
}

/** The ServiceNow record of the major incident (origin, or the one we created), as a link target. */
function servicenowLink(mi: MajorIncident, base: string | undefined): RemoteLink | undefined {
  const record =
    mi.origin.source === 'servicenow' ? { sysId: mi.origin.recordId, number: mi.origin.number } : mi.links.servicenow;
  if (!base || !record || !/^[0-9a-f]{32}$/.test(record.sysId)) return undefined;
  return {
    globalId: `mim-bridge:${mi.id}:servicenow`,
    url: `${base.replace(/\/$/, '')}/incident.do?sys_id=${record.sysId}`,
    title: record.number ?? record.sysId,
    summary: 'ServiceNow major incident',
  };
}

/** The Jira issue that speaks for the major incident: the one we created, or the origin issue. */
function issueOf(mi: MajorIncident): TicketRef | undefined {
  if (mi.links.jira) return { vendor: 'jira', id: mi.links.jira.id ?? mi.links.jira.key, key: mi.links.jira.key };
  if (mi.origin.source === 'jira' && mi.origin.number)
    return { vendor: 'jira', id: mi.origin.recordId, key: mi.origin.number };
  return undefined;
}

/**
 * Undoes what `jira.create_issue` marked when the major incident was declared. A candidate was never
 * marked by us, so its issue (a person's, in Jira) is left as it is. A declared one whose issue is
 * still being created (its create_issue retrying) waits for it: skipping would let that issue appear
 * marked after the cancellation. A project without the field: the connector answers false.
 * https://developer.atlassian.com/cloud/incidents/rest/api-group-major-incident/ (the major-incident status is
 * a flag on the incident that can be set and unset)
 */
async function clearMajorIncident(
  mi: MajorIncident,
  ticketing: JsmTicketing,
  deps: JiraExecutorDeps,
  meta: CallMeta,
): Promise<ActionResult> {
  if (!mi.declaredAt) return { detail: { skipped: 'never declared: the Major incident field was not set' } };
  const issue = issueOf(mi);
  if (!issue) return waitForRecord('jira', mi, 'Jira issue', deps.createsIssues?.() ?? false);
  const cleared = (await ticketing.markMajorIncident?.(issue, false, meta)) ?? false;
  return { detail: { key: issue.key, majorIncidentField: cleared ? 'cleared' : 'none in this project' } };
}

const asPriority = (p: number | undefined) => (p && p >= 1 && p <= 5 ? (p as 1 | 2 | 3 | 4 | 5) : 3);
const DAY_MS = 24 * 3600_000;
/** rules.yaml's default pirDue (5d), for an executor built without the tier's. */
const PIR_DUE_FALLBACK_DAYS = 5;

/**
 * The technical Jira issue and what hangs off it. `ensureTicket` and `createPir` search their
 * marker label first, so a retry after a lost answer or a killed worker finds the issue it
 * already made instead of creating another.
 */
/** A drill's issues carry `mim-exercise`, so `labels = mim-exercise` finds them all to close in bulk. */
const exerciseLabels = (mi: MajorIncident) => (mi.exercise ? { labels: [EXERCISE_LABEL] } : {});

export function jiraExecutor(deps: JiraExecutorDeps): ActionExecutor {
  const remember = deps.remember ?? (async () => {});
  return async (job, { jobId }) => {
    const mi = await deps.load(job.majorIncidentId);
    if (!mi) return { orphaned: true };
    // A message's receipt writes nothing: its line goes on the timeline for the round's note to read.
    if (job.do === 'jira.comment' && job.channel?.startsWith(RECEIPT_PREFIX))
      return { detail: { line: job.params.text ?? '', written: false } };
    // The round's note goes on the origin issue only, as every write-back does (write-back.ts).
    if (job.do === 'jira.comment' && job.channel === ROUND_NOTE_CHANNEL && mi.origin.source !== 'jira')
      return { detail: { skipped: `the major incident started in ${mi.origin.source}` } };
    const service = deps.service(mi.serviceId);
    if (!service?.jira) return { detail: { skipped: `service ${mi.serviceId} names no Jira project` } };
    const meta = { incidentId: mi.id, jobId };
    const ticketing = deps.ticketing(service.jira.project, service.jira.issueType);
    if (job.do === 'jira.create_issue') {
      // A major incident that started in Jira already has its Jira issue: link it, do not make a second,
      // and mark it major where JSM has the field (an issue we create is marked as it is created).
      if (mi.origin.source === 'jira') {
        const key = mi.origin.number ?? mi.origin.recordId;
        const marked = await ticketing.markMajorIncident?.({ vendor: 'jira', id: mi.origin.recordId, key }, true, meta);
        return {
          links: [{ system: 'jira', value: { key, id: mi.origin.recordId } }],
          detail: {
            key: mi.origin.number,
            created: false,
            origin: true,
            ...(marked ? { majorIncidentField: true } : {}),
          },
        };
      }
      const description = renderTemplate(
        deps.templates(),
        'jira-description',
        'technical',
        messageVars(mi, service),
        'text',
      );
      const { ticket, created } = await ticketing.ensureTicket(
        {
          summary: `[${mi.id}] ${mi.title}`,
          description,
          priority: asPriority(mi.priority),
          target: service.jira.project,
          ...exerciseLabels(mi),
        },
        meta,
      );
      // Linked here as well as by the playbook's jira.remote_link step (which may run before the issue
      // exists). Best effort: a failure must not lose the created issue's key; the step retries it.
      const link = servicenowLink(mi, deps.servicenowUrl);
      const linkError =
        link && deps.remoteLink
          ? await deps.remoteLink(ticket.key, link, meta).then(
              () => undefined,
              (err: unknown) => String((err as Error).message),
            )
          : undefined;
      return {
        links: [{ system: 'jira', value: { key: ticket.key, id: ticket.id } }],
        records: [`jira/${ticket.id}`],
        detail: { key: ticket.key, created, ...(linkError ? { remoteLinkError: linkError } : {}) },
      };
    }
    if (job.do === 'jira.remote_link') {
      const issue = issueOf(mi);
      const link = servicenowLink(mi, deps.servicenowUrl);
      if (!link || !deps.remoteLink) return { detail: { skipped: 'no ServiceNow record to link yet' } };
      // The issue is still being created (the step runs beside jira.create_issue, whose own link is
      // best effort): wait for it rather than skip, or a failed link there is never made.
      if (!issue) return waitForRecord('jira', mi, 'Jira issue', deps.createsIssues?.() ?? false);
      // A Jira-origin incident's ServiceNow record comes later: servicenow.create_incident runs this step again as its
      // follow-up. Same globalId: updates the one link in place, so repeating this is harmless.
      await deps.remoteLink(issue.key, link, meta);
      return { detail: { key: issue.key, url: link.url } };
    }
    if (job.do === 'jira.clear_major_incident') return clearMajorIncident(mi, ticketing, deps, meta);
    const issue = issueOf(mi);
    if (!issue) return waitForRecord('jira', mi, 'Jira issue', deps.createsIssues?.() ?? false);
    switch (job.do) {
      case 'jira.transition': {
        const to = job.params.to === 'done' ? 'resolved' : 'in_progress';
        // Both categories a two-step transition passes through, so neither hop's webhook moves anything.
        await remember(
          `jira/${issue.id}`,
          to === 'resolved'
            ? [
                ['state', 'in_progress'],
                ['state', 'resolved'],
              ]
            : [['state', 'in_progress']],
        );
        await ticketing.setStatus(issue, to, meta);
        return { detail: { key: issue.key, to } };
      }
      case 'jira.comment': {
        if (job.channel === ROUND_NOTE_CHANNEL) {
          const note = await roundNoteFor(deps, 'jira', job.params.text ?? '', mi.id);
          if (typeof note !== 'string') return { detail: { key: issue.key, skipped: note.skipped } };
          // Internal, whatever the job says: a JSM internal comment, as the ServiceNow work note is.
          await ticketing.addNote(issue, { text: note, visibility: 'internal' }, meta);
          return { detail: { key: issue.key, visibility: 'internal', round: job.round } };
        }
        const visibility = job.params.visibility ?? 'internal';
        const text =
          job.params.text !== undefined
            ? job.params.text
            : job.params.template
              ? renderTemplate(
                  deps.templates(),
                  job.params.template,
                  'technical',
                  messageVars(mi, service, await deps.latestUpdate?.(mi.id)),
                  'text',
                )
              : '';
        if (!text.trim()) return { detail: { key: issue.key, skipped: 'nothing to write' } };
        await ticketing.addNote(issue, { text, visibility }, meta);
        return { detail: { key: issue.key, visibility } };
      }
      case 'jira.link_child': {
        const child = job.params.childKey;
        if (!child || child === issue.key || child === issue.id) return { detail: { skipped: 'not a child issue' } };
        await ticketing.linkChild(issue, child, meta);
        return { detail: { parent: issue.key, child } };
      }
      case 'jira.set_priority': {
        if (!deps.setPriority) return { detail: { skipped: 'priority writes not configured' } };
        await remember(`jira/${issue.id}`, [['priority', String(job.params.priority)]]);
        await deps.setPriority(issue.key, job.params.fieldId ?? 'priority', job.params.name, meta);
        return { detail: { key: issue.key, priority: job.params.priority, name: job.params.name } };
      }
      case 'jira.create_pir': {
        if (!deps.createPir) return { detail: { skipped: 'PIR creation not configured' } };
        const dueMs =
          job.params.dueDays !== undefined
            ? job.params.dueDays * DAY_MS
            : (deps.pirDueMs?.(service.tier) ?? PIR_DUE_FALLBACK_DAYS * DAY_MS);
        const resolved = Date.parse(mi.resolvedAt ?? mi.closedAt ?? mi.updatedAt);
        const dueAt = new Date(resolved + dueMs).toISOString();
        const owner = mi.roles.serviceOwner ?? mi.roles.majorIncidentManager ?? '';
        const vars = { ...messageVars(mi, service), pir: { owner, due_at: dueAt } };
        const description = renderTemplate(deps.templates(), job.params.template ?? 'pir', 'technical', vars, 'text');
        const pir = await deps.createPir(
          {
            project: service.jira.project,
            issueType: service.jira.issueType,
            summary: `PIR: [${mi.id}] ${mi.title}`,
            description,
            technicalIssueKey: issue.key,
            ...exerciseLabels(mi),
          },
          meta,
        );
        return {
          links: [{ system: 'pir', value: { key: pir.key, dueAt, ...(owner ? { owner } : {}) } }],
          records: [`jira/${pir.id}`],
          detail: { key: pir.key, created: pir.created, linkedTo: issue.key, dueAt },
        };
      }
      default:
        return { detail: { skipped: `${job.do} is not executed by this version` } };
    }
  };
}
