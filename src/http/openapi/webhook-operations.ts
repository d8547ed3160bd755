import { z } from 'zod';
import { JiraEnvelope } from '../../connectors/jira/schema.ts';
import { DELIVERY_HEADER as JIRA_DELIVERY, SIGNATURE_HEADER as JIRA_SIGNATURE } from '../../connectors/jira/inbound.ts';
import { PdEnvelope } from '../../connectors/pagerduty/schema.ts';
import {
  DELIVERY_HEADER as PD_DELIVERY,
  SIGNATURE_HEADER as PD_SIGNATURE,
} from '../../connectors/pagerduty/inbound.ts';
import { SnIncidentRecord, SnWrappedDelivery } from '../../connectors/servicenow/schema.ts';
import { SIGNATURE_HEADER as SN_SIGNATURE } from '../../connectors/servicenow/inbound.ts';
import type { Source } from '../../domain/incident-event.ts';
import { error, ok } from './common.ts';
import { operation, type HeaderParam, type Operation } from './registry.ts';

/** The answers of README's "Webhook endpoints" table. */
const ANSWERS = {
  202: ok(
    'verified, valid and durable in Redis: `{accepted: true, id}`',
    z.object({ accepted: z.literal(true), id: z.string() }),
  ),
  200: ok('a redelivery (`{duplicate: true, id}`), or an event type not acted on (`{accepted: false, ignored}`)'),
  400: error('the body fails validation (`invalid_payload`, `field`, `issues`) or is not JSON (`invalid_json`)'),
  401: error('missing or bad signature (no detail, on purpose)'),
  413: error('body above 1 MiB'),
  415: error('Content-Type is not JSON'),
  503: error('Redis is unavailable; nothing was stored, retry (`Retry-After: 5`)'),
} as const;

/** The vendor payloads the route reads first: the envelope every event of that vendor has; unknown fields pass. */
const VENDORS: ReadonlyArray<{ source: Source; name: string; schema: z.ZodType; headers: readonly HeaderParam[] }> = [
  {
    source: 'servicenow',
    name: 'ServiceNowDelivery',
    schema: z.union([SnWrappedDelivery, SnIncidentRecord]),
    headers: [
      {
        name: SN_SIGNATURE,
        required: true,
        description: '`sha256=<hex or base64 HMAC-SHA256 of the raw body>` with SERVICENOW_WEBHOOK_SECRET',
      },
    ],
  },
  {
    source: 'jira',
    name: 'JiraDelivery',
    schema: JiraEnvelope,
    headers: [
      {
        name: JIRA_SIGNATURE,
        required: true,
        description: '`sha256=<hex HMAC-SHA256 of the raw body>` with JIRA_WEBHOOK_SECRET',
      },
      {
        name: JIRA_DELIVERY,
        required: false,
        description: 'the delivery id (redeliveries are recognised by it); else a digest of the body',
      },
    ],
  },
  {
    source: 'pagerduty',
    name: 'PagerDutyDelivery',
    schema: PdEnvelope,
    headers: [
      {
        name: PD_SIGNATURE,
        required: true,
        description: '`v1=<hex HMAC-SHA256>[,v1=<hex>]` with PAGERDUTY_WEBHOOK_SECRET (one per active secret)',
      },
      { name: PD_DELIVERY, required: false, description: 'the delivery id; else `event.id`' },
    ],
  },
];

export const webhookOperations: readonly Operation[] = VENDORS.map((v) =>
  operation({
    method: 'post',
    path: `/webhooks/${v.source}`,
    tag: 'webhooks',
    access: 'signature',
    summary: `A ${v.source} webhook delivery: verified on the raw bytes, then validated and queued`,
    body: { name: v.name, schema: v.schema },
    headers: v.headers,
    responses: ANSWERS,
  }),
);

export const publicOperations: readonly Operation[] = [
  operation({
    method: 'get',
    path: '/healthz',
    tag: 'operations',
    access: 'public',
    summary: 'Liveness',
    responses: { 200: ok('`{status: "ok"}`') },
  }),
  operation({
    method: 'get',
    path: '/readyz',
    tag: 'operations',
    access: 'public',
    summary: 'Readiness: Redis, noeviction, a recent canary',
    query: z.object({
      scope: z
        .enum(['intake'])
        .optional()
        .describe('intake: the events-worker check is reported but does not count (probe web processes with it)'),
    }),
    responses: {
      200: ok('ready'),
      400: error('`bad_scope`: a scope other than intake'),
      503: ok('not ready: the failing check'),
    },
  }),
  operation({
    method: 'get',
    path: '/metrics',
    tag: 'operations',
    access: 'public',
    summary: 'Prometheus metrics',
    responses: { 200: { description: 'Prometheus text format', contentType: 'text/plain' } },
  }),
  operation({
    method: 'get',
    path: '/openapi.json',
    tag: 'operations',
    access: 'public',
    summary: 'This document',
    responses: { 200: ok('OpenAPI 3.1') },
  }),
  operation({
    method: 'get',
    path: '/admin/ui',
    tag: 'operations',
    access: 'public',
    summary: 'The web console: static files only; its data calls use the admin API',
    responses: { 200: { description: 'the console (HTML)', contentType: 'text/html' } },
  }),
];
