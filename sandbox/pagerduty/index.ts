import { randomBytes } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { createSimServer, type SimServer } from '../shared/sim-server.ts';
import { createIncidentStore, pdId, type SimIncident } from './incidents.ts';
import { validateEvent } from './validate-event.ts';
import { deliver, signedHeaders, webhookBody, type Agent, type Delivery, type WebhookEventType } from './webhook.ts';

export type { HistoryEntry, IncidentStatus, SimIncident } from './incidents.ts';
export type { Delivery } from './webhook.ts';

/**
 * PagerDuty Events API v2 (`POST /v2/enqueue`) with dedup semantics, and signed v3 webhooks
 * for `incident.acknowledged` / `incident.resolved` to one subscription URL.
 */

export interface PagerdutySimOptions {
  /** Where v3 webhooks go (mim-bridge's `/webhooks/pagerduty`); settable later with `subscribe`. */
  readonly webhookUrl?: string;
  /** The subscription's signing secret (`PAGERDUTY_WEBHOOK_SECRET` on mim-bridge's side). */
  readonly webhookSecret?: string;
  /** Service names by routing key, shown in webhooks; unknown keys get `Sandbox service`. */
  readonly services?: Readonly<Record<string, string>>;
  /** PagerDuty also notifies changes made through the Events API; default true. */
  readonly notifyApiChanges?: boolean;
  readonly webhookTimeoutMs?: number;
  readonly now?: () => Date;
}

export interface PersonAction {
  /** The responder's name, the webhook's `agent.summary`. */
  readonly as: string;
  /** Only the incident of this routing key (any, by default). */
  readonly routingKey?: string;
}

export interface PagerdutySim extends SimServer {
  /** Every incident, oldest first, resolved ones included. */
  readonly incidents: readonly SimIncident[];
  /** The newest incident with this dedup key (open or not). */
  incident(dedupKey: string): SimIncident | undefined;
  readonly deliveries: readonly Delivery[];
  subscribe(url: string, secret: string): void;
  /** A person acknowledges in PagerDuty; resolves with the webhook delivery (undefined: nothing to do or no subscription). */
  acknowledge(dedupKey: string, who: PersonAction): Promise<Delivery | undefined>;
  resolve(dedupKey: string, who: PersonAction): Promise<Delivery | undefined>;
  /** Waits for webhooks sent because of Events API calls. */
  settled(): Promise<void>;
}

const userIdOf = (name: string) => `PU${Buffer.from(name).toString('hex').toUpperCase().padEnd(5, '0').slice(0, 5)}`;
/** PagerDuty generates a 32-hex-character key for a trigger without one. */
const generatedKey = () => randomBytes(16).toString('hex');

export function createPagerdutySim(opts: PagerdutySimOptions = {}): PagerdutySim {
  const server = createSimServer('pagerduty');
  const now = opts.now ?? (() => new Date());
  const serviceName = (key: string) => opts.services?.[key] ?? 'Sandbox service';
  const store = createIncidentStore(serviceName, now);
  const deliveries: Delivery[] = [];
  const pending = new Set<Promise<unknown>>();
  const subscriptionId = pdId(7);
  let webhook =
    opts.webhookUrl && opts.webhookSecret ? { url: opts.webhookUrl, secret: opts.webhookSecret } : undefined;

  async function notify(
    eventType: WebhookEventType,
    incident: SimIncident,
    agent: Agent,
  ): Promise<Delivery | undefined> {
    if (!webhook) return undefined;
    const body = webhookBody(eventType, incident, agent, now().toISOString());
    const delivery = await deliver(
      webhook.url,
      eventType,
      body,
      signedHeaders(body, webhook.secret, subscriptionId),
      opts.webhookTimeoutMs ?? 5_000,
    );
    deliveries.push(delivery);
    return delivery;
  }

  const eventTypeOf = (action: 'acknowledge' | 'resolve'): WebhookEventType =>
    action === 'acknowledge' ? 'incident.acknowledged' : 'incident.resolved';

  function person(action: 'acknowledge' | 'resolve') {
    return async (dedupKey: string, who: PersonAction) => {
      const change = store.move(action, who.routingKey, dedupKey, who.as);
      if (!change?.changed) return undefined;
      return notify(eventTypeOf(action), change.incident, {
        id: userIdOf(who.as),
        summary: who.as,
        type: 'user_reference',
      });
    };
  }

  server.app.post('/v2/enqueue', (req: Request, res: Response) => {
    const checked = validateEvent(req.body);
    if (!checked.ok)
      return void res
        .status(400)
        .json({ status: 'invalid event', message: 'Event object is invalid', errors: checked.errors });
    const { event } = checked;
    const dedupKey = event.dedupKey ?? generatedKey();
    if (event.action === 'trigger') store.trigger({ ...event, dedupKey });
    else {
      const change = store.move(event.action, event.routingKey, dedupKey, 'events-api', event.body);
      if (change?.changed && opts.notifyApiChanges !== false) {
        const agent: Agent = { id: 'PSANDBOXSVC', summary: change.incident.serviceName, type: 'service_reference' };
        const sent = notify(eventTypeOf(event.action), change.incident, agent).finally(() => pending.delete(sent));
        pending.add(sent);
      }
    }
    res.status(202).json({ status: 'success', message: 'Event processed', dedup_key: dedupKey });
  });

  // A body that is not JSON gets PagerDuty's answer, not express's HTML page.
  server.app.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    res
      .status(400)
      .json({ status: 'invalid event', message: 'Event object is invalid', errors: ['Could not parse JSON'] });
  });

  return Object.assign(server, {
    incidents: store.incidents,
    incident: (dedupKey: string) => store.incidents.findLast((i) => i.dedupKey === dedupKey),
    deliveries,
    subscribe: (url: string, secret: string) => {
      webhook = { url, secret };
    },
    acknowledge: person('acknowledge'),
    resolve: person('resolve'),
    settled: async () => {
      await Promise.all([...pending]);
    },
  });
}
