import { z } from 'zod';
import { Source } from './incident-event.ts';

/** Lifecycle states; `candidate` is ServiceNow's "proposed", `declared` its "accepted". */
export const MI_STATES = ['candidate', 'declared', 'resolved', 'closed', 'rejected', 'canceled'] as const;
export const MajorIncidentState = z.enum(MI_STATES);
export type MajorIncidentState = z.infer<typeof MajorIncidentState>;
/** Short names for the same thing, used across the orchestrator. */
export const MiState = MajorIncidentState;
export type MiState = MajorIncidentState;

/** States in which a major incident holds its service: new matching incidents attach to it. */
export const OPEN_STATES: readonly MiState[] = ['candidate', 'declared'];

export const ACTOR_TYPES = ['rule', 'person', 'system', 'source'] as const;
export const Actor = z.object({
  type: z.enum(ACTOR_TYPES),
  id: z.string(),
});
export type Actor = z.infer<typeof Actor>;

export const RecordRef = z.object({
  source: Source,
  recordId: z.string(),
  number: z.string().optional(),
});
export type RecordRef = z.infer<typeof RecordRef>;

const iso = z.iso.datetime({ offset: true });

export const MajorIncidentChild = RecordRef.extend({ attachedAt: iso });
export type MajorIncidentChild = z.infer<typeof MajorIncidentChild>;

export const Roles = z.object({
  majorIncidentManager: z.string().optional(),
  commsLead: z.string().optional(),
  serviceOwner: z.string().optional(),
  resolverGroup: z.string().optional(),
});
export type Roles = z.infer<typeof Roles>;

/** Ids in other systems, filled in as actions complete. */
export const Links = z.object({
  servicenow: z.object({ sysId: z.string(), number: z.string().optional() }).optional(),
  jira: z.object({ key: z.string(), id: z.string().optional() }).optional(),
  pagerduty: z.object({ dedupKey: z.string(), incidentId: z.string().optional() }).optional(),
  /**
   * Slack channel as audiences.yaml writes it → `<channel id>/<ts>` of our status message there (a
   * bare `ts` in older records), so updates edit or thread instead of reposting.
   */
  slack: z.record(z.string(), z.string()).optional(),
  /** The post-incident review: its Jira issue, when it is due, who owns it. */
  pir: z.object({ key: z.string(), dueAt: z.string().optional(), owner: z.string().optional() }).optional(),
});
export type Links = z.infer<typeof Links>;

/** No ':' (BullMQ job ids and Redis keys derive from it). */
export const MAJOR_INCIDENT_ID = /^MI-[A-Za-z0-9-]+$/;

export const MajorIncident = z.object({
  id: z.string().regex(MAJOR_INCIDENT_ID),
  serviceId: z.string(),
  state: MajorIncidentState,
  title: z.string(),
  /**
   * 1 highest. A candidate holds its origin's; declaring raises it to the tier's (rules.yaml
   * `tiers.<n>.priority`, default 1) and nothing lowers it after (`raisedPriority`).
   */
  priority: z.number().int().min(1).max(5).optional(),
  /**
   * The origin record's own priority when the major incident was created: the accept write leaves
   * the record's impact and urgency alone when it already had the major incident's priority.
   */
  originPriority: z.number().int().min(1).max(5).optional(),
  origin: RecordRef,
  /**
   * Attached incidents. Optional: the store keeps children in their own hash (attached
   * atomically, without rewriting the record) and adds them only when it returns a detail.
   */
  children: z.array(MajorIncidentChild).optional(),
  configVersion: z.string(),
  /** The rule (`type: 'rule'`) or person who declared it. */
  declaredBy: Actor.optional(),
  roles: Roles,
  /** Audiences added and removed by hand; `notify audiences: all` is the service's, plus added, minus removed. */
  audiences: z.object({ added: z.array(z.string()), removed: z.array(z.string()) }).optional(),
  links: Links,
  /**
   * True for an exercise (a drill): it runs the real process, every outbound title marked with
   * rules.yaml `drills.prefix`, and it is kept apart from real ones: it holds no service's open or
   * last pointer (store/mi-store.ts), takes no children, and counts in no measure or report.
   */
  exercise: z.boolean().optional(),
  /** The earlier major incident this one follows when it started after the re-open window. */
  relatedTo: z.string().regex(MAJOR_INCIDENT_ID).optional(),
  /** The origin record's own time, when the service desk logged it (before we noticed). */
  detectedAt: iso,
  createdAt: iso,
  declaredAt: iso.optional(),
  resolvedAt: iso.optional(),
  closedAt: iso.optional(),
  updatedAt: iso,
});
export type MajorIncident = z.infer<typeof MajorIncident>;

export const TimelineEntry = z.object({
  at: iso,
  kind: z.string().min(1),
  actor: Actor,
  detail: z.record(z.string(), z.unknown()),
  configVersion: z.string().optional(),
});
export type TimelineEntry = z.infer<typeof TimelineEntry>;

/** What a new timeline entry says; `at` as a Date or an ISO string already made for the same moment. */
export interface NewTimelineEntry {
  readonly at: Date | string;
  readonly kind: string;
  readonly actor: Actor;
  readonly detail: Record<string, unknown>;
  /**
   * The config version the entry was decided under, so a reader knows which rules and playbooks
   * spoke. Required as a key: only a pure core that is not told the version passes `undefined`,
   * and its caller stamps the entries before appending them (`timelineEntry({ ...e, configVersion })`).
   */
  readonly configVersion: string | undefined;
}

/** Every timeline entry is built here: one shape, the time as ISO text, the config version stamped. Pure. */
export function timelineEntry(e: NewTimelineEntry): TimelineEntry {
  return {
    at: typeof e.at === 'string' ? e.at : e.at.toISOString(),
    kind: e.kind,
    actor: e.actor,
    detail: e.detail,
    ...(e.configVersion === undefined ? {} : { configVersion: e.configVersion }),
  };
}

const TIME_WIDTH = 9; // base-36 milliseconds: fixed width sorts as text until the year 5188
const SEQ_WIDTH = 2;
const MAX_SEQ = 36 ** SEQ_WIDTH - 1;

/**
 * A sortable, colon-free id: `MI-<time><seq>-<serviceId>`, time in fixed-width base 36 so ids
 * sort by creation as plain strings; `seq` tells apart two made for one service in one
 * millisecond. Pure, so a retried event derives the same id from the same inputs.
 * Catalogue ids are already `[a-z0-9-]`; anything else is folded to `-`.
 */
export function majorIncidentId(serviceId: string, at: Date, seq?: number): string;
/** @deprecated time plus a random tail; pass `(serviceId, at, seq)` for a deterministic id. */
export function majorIncidentId(at: Date, random?: () => number): string;
export function majorIncidentId(a: string | Date, b?: Date | (() => number), seq = 0): string {
  if (a instanceof Date) {
    const random = typeof b === 'function' ? b : Math.random;
    const tail = Math.floor(random() * 36 ** 4)
      .toString(36)
      .padStart(4, '0');
    return `MI-${a.getTime().toString(36).toUpperCase()}-${tail.toUpperCase()}`;
  }
  const ms = b instanceof Date ? b.getTime() : Number.NaN;
  if (!Number.isSafeInteger(ms) || ms < 0)
    throw new RangeError('majorIncidentId: `at` must be a valid date after 1970');
  if (!Number.isInteger(seq) || seq < 0 || seq > MAX_SEQ)
    throw new RangeError(`majorIncidentId: seq must be an integer 0..${MAX_SEQ}`);
  const time = ms.toString(36).toUpperCase().padStart(TIME_WIDTH, '0');
  const service = a.toLowerCase().replace(/[^a-z0-9-]+/g, '-') || 'unknown';
  return `MI-${time}${seq.toString(36).toUpperCase().padStart(SEQ_WIDTH, '0')}-${service}`;
}

/**
 * The higher (numerically lower) of two priorities: a major incident's priority only ever rises,
 * so a P3 child attaching to a P1, or a re-declaration, never lowers it. Pure.
 */
export function raisedPriority(held: number | undefined, offered: number | undefined): number | undefined {
  if (held === undefined) return offered;
  if (offered === undefined) return held;
  return Math.min(held, offered);
}

/**
 * The record after a lifecycle move to `to` at `at`: the state and the milestone times. First
 * times are kept (a re-open does not reset `declaredAt`); closing from declared also stamps
 * the resolution. Declaring raises the priority to `declaredPriority` (the tier's), never lowers
 * it. Pure; one place for every caller (rules, sources, people, back-tests).
 */
export function movedTo(
  mi: MajorIncident,
  to: MiState,
  at: Date,
  actor: Actor,
  declaredPriority?: number,
): MajorIncident {
  const iso = at.toISOString();
  const priority = to === 'declared' ? raisedPriority(mi.priority, declaredPriority) : mi.priority;
  return {
    ...mi,
    state: to,
    updatedAt: iso,
    ...(priority === undefined ? {} : { priority }),
    ...(to === 'declared' ? { declaredAt: mi.declaredAt ?? iso, declaredBy: mi.declaredBy ?? actor } : {}),
    ...(to === 'resolved' || to === 'closed' ? { resolvedAt: mi.resolvedAt ?? iso } : {}),
    ...(to === 'closed' ? { closedAt: iso } : {}),
  };
}
