import type { PagingConnector } from '../capabilities.ts';
import { invalidInput } from '../connector-error.ts';
import { instrumentFor, type CallMeta, type ConnectorDeps } from '../instrument.ts';
import { createHttpClient, parseBody, send, type Boundary } from '../shared/axios-call.ts';
import { lookup } from '../shared/lookup.ts';
import { assertMarker, boundedKey } from '../shared/markers.ts';
import {
  DEDUP_KEY_MAX_LENGTH,
  followUpEvent,
  PagerdutyOutboundConfig,
  PdEnqueueResponse,
  triggerEvent,
  type PdTrigger,
} from './outbound-schema.ts';

/**
 * PagerDuty Events API v2 over axios. The dedup key is our major incident id, so a retried or
 * repeated trigger updates the same alert instead of paging twice; about 120 events/min per
 * routing key (docs/connectors.md), 429 and 5xx retry, 400 does not.
 */

const ENQUEUE_PATH = '/v2/enqueue';

export interface PagerdutyClient {
  dedupKeyFor(incidentId: string): string;
  trigger(event: PdTrigger, meta: CallMeta): Promise<string>;
  acknowledge(routingKey: string, dedupKey: string, meta: CallMeta): Promise<string>;
  resolve(routingKey: string, dedupKey: string, meta: CallMeta): Promise<string>;
}

export function createPagerdutyClient(rawConfig: PagerdutyOutboundConfig, deps: ConnectorDeps): PagerdutyClient {
  const config = PagerdutyOutboundConfig.parse(rawConfig);
  const http = createHttpClient({
    baseURL: config.eventsUrl,
    timeoutMs: config.timeoutMs,
    headers: { 'Content-Type': 'application/json' },
  });
  const boundary: Boundary = { vendor: 'pagerduty', now: deps.now ?? Date.now };
  const call = instrumentFor(deps, 'pagerduty');

  async function enqueue(event: object): Promise<string> {
    const res = await send(http, boundary, { method: 'POST', url: ENQUEUE_PATH, data: event });
    return parseBody('pagerduty', PdEnqueueResponse, res.data, res.status).dedup_key;
  }

  return {
    dedupKeyFor: (incidentId) => boundedKey(assertMarker('pagerduty', incidentId), DEDUP_KEY_MAX_LENGTH),
    trigger: (event, meta) => call('trigger', meta, () => enqueue(triggerEvent(event))),
    acknowledge: (routingKey, dedupKey, meta) =>
      call('acknowledge', meta, () => enqueue(followUpEvent('acknowledge', routingKey, dedupKey))),
    resolve: (routingKey, dedupKey, meta) =>
      call('resolve', meta, () => enqueue(followUpEvent('resolve', routingKey, dedupKey))),
  };
}

/** The paging capability: routing keys resolved from config by service name, dedup key from the incident id. */
export function createPagerdutyPaging(client: PagerdutyClient, rawConfig: PagerdutyOutboundConfig): PagingConnector {
  const config = PagerdutyOutboundConfig.parse(rawConfig);
  const routingKey = (service: string | undefined): string => {
    const key = (service === undefined ? undefined : lookup(config.routingKeys, service)) ?? config.defaultRoutingKey;
    if (!key) throw invalidInput('pagerduty', `no routing key for service ${service ?? '(default)'}`);
    return key;
  };
  return {
    kind: 'paging',
    vendor: 'pagerduty',
    async trigger(page, meta) {
      const dedupKey = client.dedupKeyFor(meta.incidentId);
      const answered = await client.trigger(
        {
          routingKey: routingKey(page.service),
          dedupKey,
          summary: page.summary,
          source: page.source,
          severity: page.severity,
          customDetails: page.details,
          links: page.links,
        },
        meta,
      );
      return { dedupKey: answered };
    },
    acknowledge: async (service, meta) => ({
      dedupKey: await client.acknowledge(routingKey(service), client.dedupKeyFor(meta.incidentId), meta),
    }),
    resolve: async (service, meta) => ({
      dedupKey: await client.resolve(routingKey(service), client.dedupKeyFor(meta.incidentId), meta),
    }),
  };
}
