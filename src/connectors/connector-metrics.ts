import { Counter, Histogram } from 'prom-client';
import { registry } from '../observability/metrics.ts';

/**
 * Connector call metrics (STYLE habit 10). `outcome` is one of CALL_OUTCOMES, never an error
 * message, so the label set stays small.
 */
export const CALL_OUTCOMES = ['ok', 'rate_limited', 'retryable', 'permanent', 'unexpected'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

export const connectorCallDuration = new Histogram({
  name: 'mim_connector_call_duration_seconds',
  help:
    'Duration of outbound connector calls by vendor, operation and outcome (ok, rate_limited, retryable, ' +
    'permanent, unexpected).',
  labelNames: ['vendor', 'op', 'outcome'] as const,
  buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [registry],
});

export const connectorCalls = new Counter({
  name: 'mim_connector_calls_total',
  help:
    'Outbound connector calls by vendor, operation and outcome (ok, rate_limited, retryable, permanent, ' +
    'unexpected).',
  labelNames: ['vendor', 'op', 'outcome'] as const,
  registers: [registry],
});
