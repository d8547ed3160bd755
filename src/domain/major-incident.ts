import { z } from 'zod';
import { Source } from './incident-event.ts';

/** Lifecycle states; `candidate` is ServiceNow's "proposed", `declared` its "accepted". */
export const MI_STATES = ['candidate', 'declared', 'resolved', 'closed', 'rejected', 'canceled'] as const;
export const MiState = z.enum(MI_STATES);
export type MiState = z.infer<typeof MiState>;

/** States in which a major incident holds its service: new matching incidents attach to it. */
export const OPEN_STATES: readonly MiState[] = ['candidate', 'declared'];

export const Actor = z.object({
  type: z.enum(['rule', 'person', 'system', 'source']),
  id: z.string(),
});
export type Actor = z.infer<typeof Actor>;

export const RecordRef = z.object({
  source: Source,
  recordId: z.string(),
  number: z.string().optional(),
});

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
  slack: z.record(z.string(), z.string()).optional(),
  pir: z.object({ key: z.string() }).optional(),
});

const iso = z.iso.datetime({ offset: true });

export const MajorIncident = z.object({
  id: z.string().regex(/^MI-[A-Za-z0-9-]+$/),
  serviceId: z.string(),
  state: MiState,
  title: z.string(),
  priority: z.number().int().min(1).max(5).optional(),
  origin: RecordRef,
  configVersion: z.string(),
  declaredBy: Actor.optional(),
  roles: Roles,
  links: Links,
  /** The earlier major incident this one follows when it started after the re-open window. */
  relatedTo: z.string().optional(),
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
  kind: z.string(),
  actor: Actor,
  detail: z.record(z.string(), z.unknown()),
  configVersion: z.string().optional(),
});
export type TimelineEntry = z.infer<typeof TimelineEntry>;

/** Sortable, colon-free ids (BullMQ job ids derive from them): time in base 36, then a random tail. */
export function majorIncidentId(at: Date, random: () => number = Math.random): string {
  const tail = Math.floor(random() * 36 ** 4).toString(36).padStart(4, '0');
  return `MI-${at.getTime().toString(36).toUpperCase()}-${tail.toUpperCase()}`;
}
