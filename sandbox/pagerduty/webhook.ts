import { createHmac, randomUUID } from 'node:crypto';
import { pdId, type SimIncident } from './incidents.ts';

/**
 * v3 webhook deliveries shaped like PagerDuty's (test/fixtures/pagerduty/*.json), signed
 * `X-PagerDuty-Signature: v1=<hex HMAC-SHA256 of the raw body>`.
 * https://developer.pagerduty.com/docs/webhooks-overview
 * https://developer.pagerduty.com/docs/verifying-webhook-signatures
 */

export type WebhookEventType = 'incident.acknowledged' | 'incident.resolved';

export interface Agent {
  readonly id: string;
  readonly summary: string;
  readonly type: 'user_reference' | 'service_reference';
}

export interface Delivery {
  readonly at: string;
  readonly url: string;
  readonly eventType: WebhookEventType;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The receiver's status; undefined when the request failed (`error`). */
  status?: number;
  error?: string;
}

const HOST = 'https://sandbox.pagerduty.test';
const ref = (id: string, summary: string, type: string, kind: string) => ({
  html_url: `${HOST}/${kind}/${id}`,
  id,
  self: `${HOST}/api/${kind}/${id}`,
  summary,
  type,
});

/** A stable service id per service name, so repeated deliveries name the same service. */
export const serviceIdOf = (name: string) =>
  `P${Buffer.from(name).toString('hex').toUpperCase().padEnd(6, '0').slice(0, 6)}`;

export function webhookBody(
  eventType: WebhookEventType,
  incident: SimIncident,
  agent: Agent,
  occurredAt: string,
): string {
  const user = ref(agent.id, agent.summary, agent.type, agent.type === 'user_reference' ? 'users' : 'services');
  return JSON.stringify({
    event: {
      id: pdId(26),
      event_type: eventType,
      resource_type: 'incident',
      occurred_at: occurredAt,
      agent: user,
      client: null,
      data: {
        id: incident.id,
        type: 'incident',
        self: `${HOST}/api/incidents/${incident.id}`,
        html_url: `${HOST}/incidents/${incident.id}`,
        number: incident.number,
        status: incident.status,
        incident_key: incident.dedupKey,
        created_at: incident.createdAt,
        title: incident.title,
        service: ref(serviceIdOf(incident.serviceName), incident.serviceName, 'service_reference', 'services'),
        assignees: incident.status === 'resolved' || agent.type !== 'user_reference' ? [] : [user],
        escalation_policy: ref('PSANDBX', 'Sandbox on-call', 'escalation_policy_reference', 'escalation_policies'),
        teams: [],
        priority: null,
        urgency: incident.severity === 'critical' || incident.severity === 'error' ? 'high' : 'low',
        conference_bridge: null,
        resolve_reason: null,
        incident_type: { name: 'incident_default' },
      },
    },
  });
}

export function signedHeaders(body: string, secret: string, subscriptionId: string): Record<string, string> {
  return {
    'content-type': 'application/json',
    'user-agent': 'PagerDuty-Webhook/V3.0',
    'x-pagerduty-signature': `v1=${createHmac('sha256', secret).update(body).digest('hex')}`,
    'x-webhook-id': randomUUID(),
    'x-webhook-subscription': subscriptionId,
  };
}

export async function deliver(
  url: string,
  eventType: WebhookEventType,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<Delivery> {
  const delivery: Delivery = { at: new Date().toISOString(), url, eventType, body, headers };
  try {
    const res = await fetch(url, { method: 'POST', body, headers, signal: AbortSignal.timeout(timeoutMs) });
    delivery.status = res.status;
    await res.body?.cancel();
  } catch (err) {
    delivery.error = err instanceof Error ? err.message : String(err);
  }
  return delivery;
}
