import fc from 'fast-check';
import { SECRETS } from '../../helpers/service.ts';
import { hmacHex, signedHeaders } from '../../helpers/sign.ts';
import { SEEDS, type Source } from './fixtures.ts';
import { encode, encoding } from './encodings.ts';
import { copyJson, toJsonText, type Json } from './json-text.ts';
import { mutateText, mutateTree, mutation, setPath, textMutation } from './mutate.ts';
import { epochMs, freshId, headerValue, isoDateTime, nastyUnit, nastyValue, snDateTime } from './nasty-values.ts';

/** One signed delivery to send, with the answers it may get. */
export interface WebhookCase {
  readonly source: Source;
  /** Which generator made it, for the report of a failure. */
  readonly note: string;
  /** The body as the intake sees it once any content encoding is undone (what is signed). */
  readonly plain: Buffer;
  readonly wire: Buffer;
  readonly headers: Record<string, string>;
  readonly allowed: readonly number[];
  /**
   * Sent again once answered: `same` is a redelivery (a 202 must become 200 duplicate);
   * `new-delivery-id` is the same signed bytes under a new delivery-id header (must not be accepted twice).
   */
  readonly replay?: { readonly kind: 'same' | 'new-delivery-id'; readonly headers: Record<string, string> };
}

/** The intake's body limit (src/http/webhook-route.ts): larger bodies must be 413, not parsed. */
const WEBHOOK_LIMIT = 1024 * 1024;

const DELIVERY_HEADER: Partial<Record<Source, string>> = {
  jira: 'x-atlassian-webhook-identifier',
  pagerduty: 'x-webhook-id',
};

/** A few records receive many deliveries (merges, stale updates, storms); the rest are new each time. */
const recordId = fc.oneof(
  { weight: 3, arbitrary: freshId },
  { weight: 1, arbitrary: fc.constantFrom(...[0, 1, 2, 3, 4, 5].map((n) => `fuzzshared${n}`)) },
);

/**
 * A copy of the payload with its record and delivery ids replaced, so mutated bodies are new deliveries, not
 * duplicates.
 */
function withIds(source: Source, seed: Json, record: string, delivery: string, modCount: number): Json {
  type Obj = Record<string, unknown>;
  const tree = copyJson(seed) as Obj;
  const obj = (v: unknown): Obj | undefined => (typeof v === 'object' && v !== null ? (v as Obj) : undefined);
  if (source === 'servicenow') {
    const rec = obj(tree.record) ?? tree;
    rec.sys_id = record;
    rec.sys_mod_count = String(modCount);
  } else if (source === 'jira') {
    const issue = obj(tree.issue);
    if (issue) issue.id = record;
  } else {
    const event = obj(tree.event);
    const data = obj(event?.data);
    if (event) event.id = delivery;
    const incident = obj(data?.incident);
    if (incident) incident.id = record;
    else if (data) data.id = record;
  }
  return tree as Json;
}

/**
 * The fields the service reads first (ids, dates, titles, the service name), each with the values
 * most likely to hurt it there; a random path alone would reach them in one body of a hundred.
 */
const date = (arb: fc.Arbitrary<Json>) => fc.oneof({ weight: 3, arbitrary: arb }, { weight: 1, arbitrary: nastyValue });
const KEY_FIELDS: Readonly<Record<Source, ReadonlyArray<readonly [readonly string[], fc.Arbitrary<Json>]>>> = {
  servicenow: [
    [['record', 'sys_updated_on'], date(snDateTime)],
    [['sys_updated_on'], date(snDateTime)],
    [['record', 'sys_id'], nastyValue],
    [['sys_id'], nastyValue],
    [['record', 'sys_mod_count'], nastyValue],
    [['record', 'short_description'], nastyValue],
    [['short_description'], nastyValue],
    [['record', 'business_service'], nastyValue],
    [['business_service'], nastyValue],
    [['record', 'priority'], nastyValue],
    [['record', 'comments'], nastyValue],
  ],
  jira: [
    [['timestamp'], date(epochMs)],
    [['issue', 'fields', 'updated'], date(isoDateTime)],
    [['issue', 'id'], nastyValue],
    [['issue', 'key'], nastyValue],
    [['issue', 'fields', 'summary'], nastyValue],
    [['issue', 'fields', 'components'], nastyValue],
    [['comment', 'body'], nastyValue],
    [['comment', 'id'], nastyValue],
  ],
  pagerduty: [
    [['event', 'occurred_at'], date(isoDateTime)],
    [['event', 'id'], nastyValue],
    [['event', 'data', 'id'], nastyValue],
    [['event', 'data', 'title'], nastyValue],
    [['event', 'data', 'service'], nastyValue],
    [['event', 'event_type'], nastyValue],
    [['event', 'data', 'content'], nastyValue],
  ],
};

const keyField = (source: Source) =>
  fc.oneof(...KEY_FIELDS[source].map(([path, value]) => fc.record({ path: fc.constant(path), value })));

const mutatedFixture = (source: Source) =>
  fc
    .record({
      seed: fc.constantFrom(...SEEDS[source]),
      record: recordId,
      delivery: freshId,
      modCount: fc.nat({ max: 1_000_000 }),
      key: fc.option(keyField(source), { freq: 2 }),
      mutations: fc.array(mutation, { minLength: 0, maxLength: 3 }),
      text: textMutation,
    })
    .map(({ seed, record, delivery, modCount, key, mutations, text }) => {
      const fresh = withIds(source, seed.body, record, delivery, modCount);
      const keyed = key ? setPath(fresh, key.path, key.value) : fresh;
      return {
        note:
          `${seed.name}${key ? ` + ${key.path.join('.')}` : ''} + ` +
          `[${mutations.map((m) => m.op).join(', ')}]${text.op === 'none' ? '' : ` + text ${text.op}`}`,
        plain: mutateText(toJsonText(mutateTree(keyed, mutations)), text),
      };
    });

const randomBody = fc.oneof(
  {
    weight: 30,
    arbitrary: fc
      .jsonValue({ stringUnit: nastyUnit })
      .map((v) => ({ note: 'random JSON', plain: Buffer.from(JSON.stringify(v)) })),
  },
  {
    weight: 30,
    arbitrary: nastyValue.map((v) => ({ note: 'random hostile value', plain: Buffer.from(toJsonText(v)) })),
  },
  {
    weight: 30,
    arbitrary: fc
      .string({ unit: 'binary', maxLength: 300 })
      .map((s) => ({ note: 'random text', plain: Buffer.from(s) })),
  },
  // Just past the limit: refused as too large, never parsed.
  {
    weight: 1,
    arbitrary: fc.integer({ min: 1, max: 4_096 }).map((n) => ({
      note: 'just too large',
      plain: Buffer.from(JSON.stringify({ pad: 'x'.repeat(WEBHOOK_LIMIT + n) })),
    })),
  },
);

const JSON_TYPES = [
  'application/json; charset=utf-8',
  'Application/JSON',
  'application/vnd.pagerduty+json',
  'application/json;charset=latin1',
];

export function webhookCase(source: Source): fc.Arbitrary<WebhookCase> {
  const secret = SECRETS[source];
  const deliveryHeader = DELIVERY_HEADER[source];
  return fc
    .record({
      body: fc.oneof({ weight: 4, arbitrary: mutatedFixture(source) }, { weight: 1, arbitrary: randomBody }),
      how: encoding,
      cut: fc.nat(),
      type: fc.oneof(
        { weight: 12, arbitrary: fc.constant('application/json') },
        { weight: 2, arbitrary: fc.constantFrom(...JSON_TYPES) },
        { weight: 1, arbitrary: fc.constantFrom('text/plain', 'application/x-www-form-urlencoded') },
      ),
      delivery: fc.oneof(
        { weight: 6, arbitrary: freshId.map((id): string | undefined => `fz-${id}`) },
        { weight: 2, arbitrary: headerValue },
        { weight: 1, arbitrary: fc.constant(undefined) },
      ),
      replayDelivery: freshId,
      hexSignature: fc.boolean(),
      extraSignature: fc.boolean(),
      replay: fc.oneof(
        { weight: 10, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: fc.constantFrom('same' as const, 'new-delivery-id' as const) },
      ),
    })
    .map((g) => {
      const signed = g.body.plain;
      const { wire, headers: encodingHeaders, allowed } = encode(signed, g.how, g.cut, WEBHOOK_LIMIT, [200, 202, 400]);
      const signature = signedHeaders(source, secret, signed);
      // ServiceNow accepts hex as well as base64; PagerDuty lists one signature per active secret.
      if (source === 'servicenow' && g.hexSignature) signature['x-mim-signature'] = `sha256=${hmacHex(secret, signed)}`;
      if (source === 'pagerduty' && g.extraSignature)
        signature['x-pagerduty-signature'] =
          `v1=${hmacHex('some-old-secret', signed)},${signature['x-pagerduty-signature']}`;
      const headers: Record<string, string> = { ...signature, ...encodingHeaders, 'content-type': g.type };
      if (deliveryHeader && g.delivery !== undefined) headers[deliveryHeader] = g.delivery;
      const jsonType = g.type !== 'text/plain' && g.type !== 'application/x-www-form-urlencoded';
      const replayHeaders =
        g.replay === 'new-delivery-id' && deliveryHeader
          ? { ...headers, [deliveryHeader]: `fz-replay-${g.replayDelivery}` }
          : headers;
      return {
        source,
        note: `${g.body.note}${g.how === 'identity' ? '' : ` (${g.how})`}`,
        plain: signed,
        wire,
        headers,
        allowed: jsonType ? allowed : [415],
        ...(g.replay && (g.replay === 'same' || deliveryHeader)
          ? { replay: { kind: g.replay, headers: replayHeaders } }
          : {}),
      };
    });
}
