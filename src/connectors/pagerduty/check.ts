import { createHttpClient } from '../shared/axios-call.ts';
import { failed, isOutcome, passed, request, type CheckOutcome } from '../shared/check.ts';

/**
 * The PagerDuty connection check. The Events API v2 has no dry run and no way to test a routing
 * key: every accepted event is a real alert, which would page someone. So the check does the two
 * things it can without paging: each routing key has the integration key's shape (32 letters and
 * digits), and the events host answers over TLS through the same HTTP stack (DNS, proxy, CA
 * bundle). A well-formed key of a deleted integration is only found by a real event.
 * https://developer.pagerduty.com/docs/events-API-v2/trigger-events/ (routing_key: the 32-character Integration Key)
 */

export const ROUTING_KEY_SHAPE = /^[A-Za-z0-9]{32}$/;

export interface PagerdutyRoutingKey {
  /** The variable that holds it (PAGERDUTY_ROUTING_KEY or a MIM_ROUTE_* name from services.yaml). */
  readonly name: string;
  /** Undefined when services.yaml names the variable but it is not set. */
  readonly key: string | undefined;
}

export interface PagerdutyCheckConfig {
  readonly eventsUrl: string;
  readonly routingKeys: readonly PagerdutyRoutingKey[];
  readonly timeoutMs: number;
}

export const PAGERDUTY_CHECK = {
  vendor: 'pagerduty',
  urlVar: 'PAGERDUTY_EVENTS_URL',
  credentialVars: 'PAGERDUTY_ROUTING_KEY',
} as const;

/** The keys that cannot be right, as one failure naming their variables; undefined when all look right. */
export function routingKeyProblems(keys: readonly PagerdutyRoutingKey[]): CheckOutcome | undefined {
  const unset = keys.filter((k) => k.key === undefined).map((k) => k.name);
  if (unset.length)
    return failed(
      'ROUTING_KEY_UNSET',
      `${unset.join(', ')} not set`,
      `set ${unset.join(', ')} (named in services.yaml)`,
    );
  const malformed = keys.filter((k) => !ROUTING_KEY_SHAPE.test(k.key ?? '')).map((k) => k.name);
  if (malformed.length)
    return failed(
      'ROUTING_KEY_MALFORMED',
      `${malformed.join(', ')}: not 32 letters and digits`,
      `the routing key in ${malformed.join(', ')} is not an Events API v2 integration key: copy it again ` +
        '(docs/setup-pagerduty.md)',
    );
  return undefined;
}

export async function checkPagerduty(config: PagerdutyCheckConfig): Promise<CheckOutcome> {
  const keys = routingKeyProblems(config.routingKeys);
  if (keys) return keys;
  // Any HTTP answer proves DNS, the proxy and TLS; the root path is not the enqueue endpoint, so nothing is sent.
  const http = createHttpClient({ baseURL: new URL(config.eventsUrl).origin, timeoutMs: config.timeoutMs });
  const res = await request(http, PAGERDUTY_CHECK, { method: 'GET', url: '/' });
  if (isOutcome(res)) return res;
  return passed(
    `${config.routingKeys.length} routing key(s) well-formed; ${new URL(config.eventsUrl).host} answers ` +
      `(HTTP ${res.status}); no dry run exists, so no event was sent`,
  );
}
