import type { NormalizeResult } from './inbound-source.ts';
import type { CallMeta } from './instrument.ts';

/**
 * Capability interfaces (after Netflix dispatch's plugin bases): the incident flow asks for
 * "the ticketing connector", never for Jira. Every method takes `CallMeta`, whose `incidentId`
 * (our major incident id) seeds the vendor-side idempotency marker: ServiceNow `correlation_id`,
 * Jira label `mim-<id>`, PagerDuty `dedup_key`; Slack's `ts` is returned for the caller to keep.
 */

export type TicketingVendor = 'servicenow' | 'jira';
export type ChatVendor = 'slack' | 'teams';
export type Priority = 1 | 2 | 3 | 4 | 5;

export interface TicketRef {
  readonly vendor: TicketingVendor;
  /** ServiceNow `sys_id`, Jira issue id. */
  readonly id: string;
  /** What people read: `INC0010001`, `OPS-42`. */
  readonly key: string;
}

export interface NewTicket {
  readonly summary: string;
  /** Plain text rendered from a template; blank lines separate paragraphs. */
  readonly description: string;
  readonly priority: Priority;
  /** Where it goes, from the service catalogue: a Jira project key, a ServiceNow assignment group sys_id. */
  readonly target?: string;
  /** Labels besides our marker (Jira; `mim-exercise` on a drill's issue), to filter by. */
  readonly labels?: readonly string[];
}

export interface TicketNote {
  readonly text: string;
  /** `public`: ServiceNow `comments`, a customer-visible JSM comment; `internal`: `work_notes`, a JSM internal note. */
  readonly visibility: 'public' | 'internal';
}

export type TicketStatus = 'in_progress' | 'resolved' | 'closed';

export interface Resolution {
  readonly code?: string;
  readonly notes?: string;
}

export interface EnsuredTicket {
  readonly ticket: TicketRef;
  /** False when the marker found a ticket an earlier (crashed or retried) attempt created. */
  readonly created: boolean;
}

export interface TicketingConnector {
  readonly kind: 'ticketing';
  readonly vendor: TicketingVendor;
  /** The ticket carrying this major incident's marker, if one exists. */
  findTicket(meta: CallMeta): Promise<TicketRef | undefined>;
  /** Find-then-create on the marker, so a retry after a lost answer never makes a second ticket. */
  ensureTicket(ticket: NewTicket, meta: CallMeta): Promise<EnsuredTicket>;
  /** At-least-once: a retry after a lost answer may post the note twice (no vendor dedupes journal entries). */
  addNote(ticket: TicketRef, note: TicketNote, meta: CallMeta): Promise<void>;
  /** Idempotent: a ticket already in the wanted status is left alone. */
  setStatus(ticket: TicketRef, status: TicketStatus, meta: CallMeta, resolution?: Resolution): Promise<void>;
  /** Makes `childId` (sys_id, issue key) a child of / related to `parent`; repeating it changes nothing. */
  linkChild(parent: TicketRef, childId: string, meta: CallMeta): Promise<void>;
}

export type PageSeverity = 'critical' | 'error' | 'warning' | 'info';

export interface PageRequest {
  /**
   * Service catalogue name whose routing key pages; the configured default when absent. Keys never travel in job data.
   */
  readonly service?: string;
  readonly summary: string;
  readonly source: string;
  readonly severity: PageSeverity;
  readonly details?: Readonly<Record<string, unknown>>;
  readonly links?: readonly { readonly href: string; readonly text: string }[];
}

export interface PageRef {
  readonly dedupKey: string;
}

export interface PagingConnector {
  readonly kind: 'paging';
  readonly vendor: 'pagerduty';
  /** `dedup_key` derives from `meta.incidentId`: triggering twice updates one alert. */
  trigger(page: PageRequest, meta: CallMeta): Promise<PageRef>;
  acknowledge(service: string | undefined, meta: CallMeta): Promise<PageRef>;
  resolve(service: string | undefined, meta: CallMeta): Promise<PageRef>;
}

export interface ChatMessage {
  /** Plain text; the chat connector escapes it. */
  readonly title: string;
  /**
   * The vendor's markup (mrkdwn, Adaptive Card Markdown), rendered from a template whose values were escaped for it
   * (templates/output-targets.ts).
   */
  readonly text: string;
  /** Plain text; the chat connector escapes it. */
  readonly facts?: readonly { readonly title: string; readonly value: string }[];
  readonly links?: readonly { readonly title: string; readonly url: string }[];
}

/** Where a posted message lives; Slack's `ts` is its id. The caller stores it per major incident and channel. */
export interface ChatMessageRef {
  readonly channel: string;
  readonly ts: string;
}

export interface ChatConnector {
  readonly kind: 'chat';
  readonly vendor: ChatVendor;
  /**
   * Posts the living status message, or edits `previous` where the vendor can (Slack). Returns the
   * reference to keep, or undefined when the vendor gives none (Teams webhooks cannot edit).
   * `channel` is a Slack channel id, or the name of a configured Teams webhook. `recover`: this is
   * a re-run and an earlier attempt may have posted without its reference being kept (Slack looks
   * it up by its metadata; vendors that cannot edit ignore it).
   */
  publishStatus(
    channel: string,
    message: ChatMessage,
    meta: CallMeta,
    previous?: ChatMessageRef,
    recover?: boolean,
  ): Promise<ChatMessageRef | undefined>;
  /** Posts an update, threaded under `thread` where the vendor threads (Slack). */
  postUpdate(
    channel: string,
    message: ChatMessage,
    meta: CallMeta,
    thread?: ChatMessageRef,
  ): Promise<ChatMessageRef | undefined>;
}

export interface EmailMessage {
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly html?: string;
  /** Names this message within the major incident (`declared`, `update-3`); makes the Message-ID deterministic. */
  readonly marker: string;
  /** The marker of the message to thread under (usually `declared`), for In-Reply-To/References. */
  readonly threadMarker?: string;
}

export interface EmailConnector {
  readonly kind: 'email';
  readonly vendor: 'email';
  send(message: EmailMessage, meta: CallMeta): Promise<{ readonly messageId: string }>;
}

/**
 * The ServiceNow record of a major incident, as the servicenow action writes it: the record the
 * service desk works in (origin) or the one created for a major incident that started elsewhere.
 * `fields` are Table API column names with string values; the vendor's codes come from here.
 */
export interface IncidentRecords {
  readonly kind: 'incident-records';
  readonly vendor: 'servicenow';
  /** The `correlation_id` that marks a record as this major incident's. */
  correlationIdFor(incidentId: string): string;
  /** Whether `id` can name a record (a sys_id): checked before it becomes part of a URL. */
  isRecordId(id: string): boolean;
  /**
   * The impact and urgency that the vendor's matrix turns into `priority` (priority itself is derived, never written).
   */
  impactUrgency(priority: Priority): { readonly impact: string; readonly urgency: string };
  /** Find-then-create on the marker: a retry after a lost answer returns the record the first try made. */
  createIncident(
    fields: Readonly<Record<string, string>>,
    meta: CallMeta,
  ): Promise<{ readonly sysId: string; readonly number: string; readonly created: boolean }>;
  updateIncident(sysId: string, fields: Readonly<Record<string, string>>, meta: CallMeta): Promise<void>;
  /** The record's `state` code (`6` Resolved, `7` Closed). */
  incidentState(sysId: string, meta: CallMeta): Promise<string>;
  addComment(sysId: string, text: string, meta: CallMeta): Promise<void>;
  addWorkNote(sysId: string, text: string, meta: CallMeta): Promise<void>;
}

/** What a Service Portal announcement says and where it shows (ServiceNow `announcement`). */
export interface PortalAnnouncement {
  /** Plain text, one line. */
  readonly title: string;
  /** Plain text; the connector makes it inert for a portal that renders it as HTML. */
  readonly summary: string;
  readonly from: Date;
  /** When it stops showing; undefined: until retired. */
  readonly to?: Date;
  /** A display style's sys_id or name; undefined: the instance's default. */
  readonly displayStyle?: string;
  /** Portals (sys_ids or URL suffixes) that show it; empty: every portal. */
  readonly portals: readonly string[];
}

export interface AnnouncementRef {
  readonly sysId: string;
  /** False when the marker found one an earlier (crashed or retried) attempt made. */
  readonly created: boolean;
}

/**
 * Announcements end users see on the vendor's portal, one per major incident and audience, found
 * by `marker` (find-then-create, so a retry never posts a second banner).
 */
export interface PortalAnnouncements {
  readonly kind: 'announcements';
  readonly vendor: 'servicenow';
  /** The marker of a major incident's announcement for one audience. */
  markerFor(incidentId: string, audienceId: string): string;
  /** Creates the announcement, or rewrites the one carrying `marker`, and shows it on exactly its portals. */
  publish(marker: string, announcement: PortalAnnouncement, meta: CallMeta): Promise<AnnouncementRef>;
  /** The announcement carrying `marker`, if there is one. */
  find(marker: string, meta: CallMeta): Promise<string | undefined>;
  /** Rewrites title, summary and end time of an existing announcement (its portals stay). */
  retire(
    sysId: string,
    final: Pick<PortalAnnouncement, 'title' | 'summary'> & { readonly to: Date },
    meta: CallMeta,
  ): Promise<void>;
}

/** The post-incident review issue, linked to the technical issue. */
export interface NewReview {
  readonly project: string;
  readonly issueType: string;
  readonly summary: string;
  readonly description: string;
  readonly technicalIssueKey: string;
  /** Labels besides our marker (`mim-exercise` on a drill's review). */
  readonly labels?: readonly string[];
}

/**
 * Where a swept record sits for the sweep cursor: its update time (the vendor's format) and a key unique per update.
 */
export interface SweptPosition {
  readonly at: string;
  readonly key: string;
}

export interface SweptRecord {
  /** Undefined when the record lacks what the cursor needs (it is counted as invalid). */
  readonly position: SweptPosition | undefined;
  /** The record as the event its webhook would have sent, through the webhook's own normalizer. */
  toEvent(receivedAt: Date): NormalizeResult;
}

/**
 * Reading records back for reconciliation: what the vendor holds now, as its webhook would have
 * told it, so intake dedupes a record whose webhook did arrive.
 */
export interface RecordReader {
  /** One record (a sys_id, an issue key) as an event. */
  readRecord(id: string, meta: CallMeta, receivedAt: Date): Promise<NormalizeResult>;
}

/**
 * A reader that can also list what changed since a time: ServiceNow's sweep (Jira relies on its webhooks and the linked
 * reads).
 */
export interface RecordSweep extends RecordReader {
  /** Records updated at or after `since`, oldest first, `limit` from `offset`. */
  listUpdatedSince(
    page: { readonly since: string; readonly limit: number; readonly offset: number },
    meta: CallMeta,
  ): Promise<SweptRecord[]>;
}

export type Connector = TicketingConnector | PagingConnector | ChatConnector | EmailConnector;
