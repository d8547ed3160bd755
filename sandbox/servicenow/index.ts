import { createSimServer, type SimServer } from '../shared/sim-server.ts';
import { createDeliverer, type Delivery } from './deliver.ts';
import type { PromotionPolicy, PromotionViolation } from './promotion.ts';
import { mountTableApi } from './routes.ts';
export { SIM_PORTALS, SIM_STYLES } from './announcements.ts';
import { createIncidentTable, type JournalEntry, type SnRecord, type Write, type WriteOutcome } from './table.ts';
import { asciiJson, sentByRule, signServicenow, webhookBody, type SnWebhookBody } from './webhook.ts';

/**
 * ServiceNow simulator: the Table API for `incident` and the Service Portal announcement tables,
 * and the shipped business rule's signed webhook after every incident insert and update. See docs/sandbox.md.
 */

export interface ServicenowWebhookTarget {
  /** mim-bridge's intake, e.g. `http://127.0.0.1:8080/webhooks/servicenow`. */
  readonly url: string;
  /** SERVICENOW_WEBHOOK_SECRET on mim-bridge (x_mim.webhook_secret on the instance). */
  readonly secret: string;
}

export interface ServicenowSimOptions {
  /** user name → password for basic auth; default `{ 'mim-bridge': 'sandbox-password' }`. */
  readonly users?: Readonly<Record<string, string>>;
  readonly webhook?: ServicenowWebhookTarget;
  /**
   * x_mim.integration_user: writes by this user send no webhook, as the rule's condition says.
   * Unset (the default), every write is sent, mim-bridge's own included (the echo case).
   */
  readonly integrationUser?: string;
  /** Reference targets (sys_id → display value) for business_service, assignment_group, caller_id … */
  readonly references?: Readonly<Record<string, string>>;
  readonly now?: () => Date;
  /**
   * The rule's executeAsync does not retry; the simulator retries a failed delivery (network
   * error, 408, 429, 5xx) this many times so a briefly busy intake does not lose the event. Default 3.
   */
  readonly webhookRetries?: number;
  readonly webhookBackoffMs?: number;
  /**
   * A Table API write that moves `major_incident_state` to proposed or accepted without who and
   * when: `record` (default) takes it, as a base instance does, and lists it in
   * `promotionViolations()`; `reject` answers 403 as a data policy would (promotion.ts).
   */
  readonly promotionPolicy?: PromotionPolicy;
  /** x_mim.services: names of the business services and CIs whose incidents are sent; unset, all are. */
  readonly services?: readonly string[];
}

export interface SnDeliveryMeta {
  readonly event: SnWebhookBody['event'];
  readonly sysId: string;
  readonly modCount: string;
  readonly user: string;
}

export interface ServicenowPerson {
  create(fields: Record<string, string>): Readonly<SnRecord>;
  update(sysId: string, fields: Record<string, string>): Readonly<SnRecord>;
  comment(sysId: string, text: string): Readonly<SnRecord>;
  workNote(sysId: string, text: string): Readonly<SnRecord>;
}

export interface ServicenowSim extends SimServer {
  records(): readonly Readonly<SnRecord>[];
  record(sysId: string): Readonly<SnRecord> | undefined;
  byNumber(number: string): Readonly<SnRecord> | undefined;
  journal(sysId: string): readonly JournalEntry[];
  /** A column's display value, as `sysparm_display_value=true` shows it (a reference's name, a choice's label). */
  displayOf(field: string, value: string): string;
  /** Table API writes that moved `major_incident_state` without the who/when columns the UI actions set. */
  promotionViolations(): readonly PromotionViolation[];
  /** Writes as a person through the same validation and webhook as the Table API; throws on what the API would reject. */
  act(who: { readonly as: string }): ServicenowPerson;
  setWebhook(target: ServicenowWebhookTarget | undefined): void;
  readonly deliveries: readonly Delivery<SnDeliveryMeta>[];
  /** Resolves when every webhook so far has been delivered or given up. */
  webhooksIdle(): Promise<void>;
  /** Service Portal announcements written through the Table API, and the portals each shows on. */
  announcements(): readonly Readonly<SnRecord>[];
  announcementPortals(sysId: string): readonly string[];
}

const RETRYABLE = (status: number) => status === 408 || status === 429 || status >= 500;

export function createServicenowSim(opts: ServicenowSimOptions = {}): ServicenowSim {
  const server = createSimServer('servicenow');
  const table = createIncidentTable({
    now: opts.now ?? (() => new Date()),
    references: opts.references ?? {},
    ...(opts.promotionPolicy ? { promotionPolicy: opts.promotionPolicy } : {}),
  });
  const deliverer = createDeliverer<SnDeliveryMeta>({
    retries: opts.webhookRetries ?? 3,
    backoffMs: opts.webhookBackoffMs ?? 200,
    timeoutMs: 10_000,
    retryOn: RETRYABLE,
  });
  let target = opts.webhook;

  function afterWrite(write: Write): void {
    const user = write.record.sys_updated_by ?? '';
    if (!target || (opts.integrationUser && user === opts.integrationUser)) return;
    if (!sentByRule(table, write, opts.services)) return;
    const body = asciiJson(webhookBody(table, write));
    const sysId = write.record.sys_id ?? '';
    deliverer.send({
      id: `${sysId}@${write.record.sys_mod_count}`,
      url: target.url,
      body,
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json',
        'X-MIM-Signature': signServicenow(target.secret, body),
      },
      meta: { event: JSON.parse(body).event, sysId, modCount: write.record.sys_mod_count ?? '', user },
    });
  }

  const now = opts.now ?? (() => new Date());
  const announcements = mountTableApi(server.app, {
    table,
    users: opts.users ?? { 'mim-bridge': 'sandbox-password' },
    baseUrl: server.url,
    afterWrite,
    now,
  });

  const settle = (out: WriteOutcome): Readonly<SnRecord> => {
    if (!out.ok) throw Object.assign(new Error(`${out.message}: ${out.detail}`), { status: out.status });
    afterWrite(out.write);
    return out.write.record;
  };

  return {
    ...server,
    records: () => table.all(),
    record: (sysId) => table.get(sysId),
    byNumber: (number) => table.all().find((r) => r.number === number),
    journal: (sysId) => table.journal(sysId),
    displayOf: (field, value) => table.displayOf(field, value),
    promotionViolations: () => table.promotionViolations(),
    // A person works through the form and its UI actions (Propose, Promote), which fill who and when.
    act: ({ as }) => ({
      create: (fields) => settle(table.insert(fields, as, 'ui')),
      update: (sysId, fields) => settle(table.update(sysId, fields, as, 'ui')),
      comment: (sysId, text) => settle(table.update(sysId, { comments: text }, as, 'ui')),
      workNote: (sysId, text) => settle(table.update(sysId, { work_notes: text }, as, 'ui')),
    }),
    setWebhook: (t) => {
      // The same secret is the same receiver, restarted on a new port (mim-bridge binds port 0).
      if (t && target && t.secret === target.secret) deliverer.repoint(t.url);
      target = t;
    },
    deliveries: deliverer.deliveries,
    webhooksIdle: () => deliverer.idle(),
    announcements: () => announcements.announcements(),
    announcementPortals: (sysId) => announcements.portalsOf(sysId),
    close: async () => {
      deliverer.close();
      await server.close();
    },
  };
}
