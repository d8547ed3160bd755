import type { MajorIncident, TimelineEntry } from '../../domain/major-incident.ts';
import type { Assignee } from '../../orchestrator/assignee.ts';
import type { LatestUpdate } from '../../orchestrator/latest-update.ts';
import type { ChecklistItem } from '../../process/checklist.ts';
import type { Deadline } from '../../process/deadlines.ts';
import { currentReopen, stateSince, type Reopen } from '../../process/reopen.ts';
import { declaredPeriodStart } from '../../process/timers-plan.ts';
import { recordUrl, slackChannelUrl, type VendorBases } from './vendor-urls.ts';

/** A person a vendor told us about, and which role they hold now. */
export interface Person {
  readonly role: string;
  readonly name: string;
  /** The system that said so. */
  readonly source: string;
  readonly at: string;
}

export interface Link {
  readonly text: string;
  readonly url?: string;
}

/** What the board shows for one major incident, and the detail's header: the facts that matter at a glance. */
export interface MiFacts {
  readonly id: string;
  readonly title: string;
  readonly state: string;
  readonly priority?: number;
  readonly service: { readonly id: string; readonly name?: string; readonly tier?: number };
  readonly createdAt: string;
  readonly stateSince: string;
  /** Set while a re-opened major incident is open again. */
  readonly reopened?: Reopen;
  /** An exercise (a drill): its messages and tickets carry the drills prefix, and it counts in no measure. */
  readonly exercise?: true;
  /** The Major Incident Manager role (the catalogue's, or as changed since). */
  readonly lead?: string;
  /** Who acknowledged the page in the current declared period, as PagerDuty names them. */
  readonly acknowledgedBy?: { readonly name: string; readonly at: string };
  readonly people: readonly Person[];
  readonly latestUpdate?: {
    readonly text: string;
    readonly at: string;
    readonly author: string;
    readonly source: string;
  };
  readonly nextDeadline?: Deadline;
  readonly checklist: { readonly done: number; readonly total: number };
  /** Dead letters of this major incident not yet replayed or discarded. */
  readonly deadLetters: number;
  /** Field conflicts between ServiceNow and Jira recorded on its timeline. */
  readonly conflicts: number;
  readonly links: {
    readonly servicenow?: Link;
    readonly jira?: Link;
    readonly pagerduty?: Link;
    readonly pir?: Link;
    readonly slack: readonly { readonly channel: string; readonly url?: string }[];
  };
  /** Attached incidents, the origin record left out (it is the major incident's own). */
  readonly attached: readonly {
    readonly source: string;
    readonly recordId: string;
    readonly number?: string;
    readonly attachedAt?: string;
    readonly url?: string;
  }[];
}

export interface FactsInput {
  readonly mi: MajorIncident;
  readonly timeline: readonly TimelineEntry[];
  readonly children: readonly Record<string, unknown>[];
  readonly latestUpdate?: LatestUpdate;
  /** Who the ServiceNow record is assigned to (orchestrator/assignee.ts). */
  readonly assignee?: Assignee;
  readonly deadLetters: number;
  readonly checklist: readonly ChecklistItem[];
  readonly deadlines: readonly Deadline[];
  readonly service?: { readonly name: string; readonly tier: number };
  readonly urls: Readonly<Record<string, string>>;
  readonly bases: VendorBases;
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
/** `pagerduty:Dana Okafor` → `Dana Okafor`; a source that did not say who gives nothing. */
const personOf = (actorId: string) => {
  const name = actorId.slice(actorId.indexOf(':') + 1).trim();
  return name && name !== 'unknown' && actorId.includes(':') ? name : undefined;
};

function people(mi: MajorIncident, timeline: readonly TimelineEntry[], assignee?: Assignee): Person[] {
  const from = mi.state === 'declared' ? (declaredPeriodStart(mi, timeline) ?? 0) : 0;
  const out: Person[] = [];
  const ack = timeline.filter((e) => e.kind === 'page.acknowledged' && Date.parse(e.at) >= from).at(-1);
  const acker = ack && personOf(ack.actor.id);
  if (ack && acker) out.push({ role: 'acknowledged the page', name: acker, source: 'PagerDuty', at: ack.at });
  if (assignee)
    out.push({ role: `assigned ${assignee.record}`, name: assignee.name, source: 'ServiceNow', at: assignee.at });
  // The resolver group as ServiceNow's assignment group set it (apply-role-sync), with who set it.
  const group = timeline
    .filter((e) => e.kind === 'roles.changed' && e.actor.type === 'source' && e.detail.field === 'assignment_group')
    .at(-1);
  const to = group?.detail.to as { resolverGroup?: unknown } | undefined;
  const setBy = group && personOf(group.actor.id);
  if (group && str(to?.resolverGroup))
    out.push({
      role: `resolver group${setBy ? `, assigned by ${setBy}` : ''}`,
      name: String(to?.resolverGroup),
      source: 'ServiceNow',
      at: group.at,
    });
  return out;
}

function links(mi: MajorIncident, urls: Readonly<Record<string, string>>): MiFacts['links'] {
  const link = (text: string | undefined, url: string | undefined): Link | undefined =>
    text ? { text, ...(url ? { url } : {}) } : undefined;
  const sn = mi.origin.source === 'servicenow' ? mi.origin : undefined;
  const snText = sn ? (sn.number ?? sn.recordId) : (mi.links.servicenow?.number ?? mi.links.servicenow?.sysId);
  const jira = mi.links.jira?.key ?? (mi.origin.source === 'jira' ? mi.origin.number : undefined);
  const pd = mi.links.pagerduty;
  const servicenow = link(snText, urls.servicenow);
  const jiraLink = link(jira, urls.jira);
  const pagerduty = link(pd ? (pd.incidentId ?? `dedup key ${pd.dedupKey}`) : undefined, urls.pagerduty);
  const pir = link(mi.links.pir?.key, urls.pir);
  return {
    ...(servicenow ? { servicenow } : {}),
    ...(jiraLink ? { jira: jiraLink } : {}),
    ...(pagerduty ? { pagerduty } : {}),
    ...(pir ? { pir } : {}),
    slack: Object.entries(mi.links.slack ?? {}).map(([channel, at]) => {
      const url = slackChannelUrl(at);
      return { channel, ...(url ? { url } : {}) };
    }),
  };
}

/** The facts of one major incident, from its record, timeline and what the process derives. Pure. */
export function miFacts(input: FactsInput): MiFacts {
  const { mi, timeline } = input;
  const found = people(mi, timeline, input.assignee);
  const ack = found.find((p) => p.source === 'PagerDuty');
  const reopened = currentReopen(mi, timeline);
  const u = input.latestUpdate;
  return {
    id: mi.id,
    title: mi.title,
    state: mi.state,
    ...(mi.priority ? { priority: mi.priority } : {}),
    service: { id: mi.serviceId, ...(input.service ?? {}) },
    createdAt: mi.createdAt,
    stateSince: stateSince(mi, timeline),
    ...(reopened ? { reopened } : {}),
    ...(mi.exercise ? { exercise: true as const } : {}),
    ...(mi.roles.majorIncidentManager ? { lead: mi.roles.majorIncidentManager } : {}),
    ...(ack ? { acknowledgedBy: { name: ack.name, at: ack.at } } : {}),
    people: found,
    ...(u ? { latestUpdate: { text: u.text, at: u.at, author: u.author, source: u.source } } : {}),
    ...(input.deadlines[0] ? { nextDeadline: input.deadlines[0] } : {}),
    checklist: { done: input.checklist.filter((c) => c.done).length, total: input.checklist.length },
    deadLetters: input.deadLetters,
    conflicts: timeline.filter((e) => e.kind === 'sync.conflict').length,
    links: links(mi, input.urls),
    attached: input.children
      .filter((c) => c.role !== 'origin' && !(c.source === mi.origin.source && c.recordId === mi.origin.recordId))
      .map((c) => {
        const ref = { source: String(c.source), recordId: String(c.recordId), number: str(c.number) };
        const url = recordUrl(ref, input.bases);
        return {
          source: ref.source,
          recordId: ref.recordId,
          ...(ref.number ? { number: ref.number } : {}),
          ...(str(c.attachedAt) ? { attachedAt: str(c.attachedAt) } : {}),
          ...(url ? { url } : {}),
        };
      }),
  };
}

/** Board order: the highest priority first (none last), then the oldest. Pure. */
export const boardOrder = (a: MiFacts, b: MiFacts) =>
  (a.priority ?? 9) - (b.priority ?? 9) || Date.parse(a.createdAt) - Date.parse(b.createdAt);
