import type { Logger } from '../observability/logger.ts';
import { connectorCallDuration, connectorCalls, type CallOutcome } from './connector-metrics.ts';
import { isConnectorError, type ConnectorVendor } from './connector-error.ts';
import type { Clock } from './shared/retry-after.ts';

/**
 * Every connector call goes through `instrument` (STYLE habit 10): a child logger with
 * `{vendor, op, incidentId, jobId}`, a duration histogram and an outcome counter.
 */

/** Who a call is for: our major incident (also the idempotency marker's seed) and the queue job running it. */
export interface CallMeta {
  readonly incidentId: string;
  readonly jobId?: string;
}

/** What every connector factory takes besides its vendor config. */
export interface ConnectorDeps {
  readonly logger: Logger;
  /** Defaults to `Date.now`; injected in tests for HTTP-date `Retry-After`. */
  readonly now?: Clock;
}

export function outcomeOf(err: unknown): CallOutcome {
  if (!isConnectorError(err)) return 'unexpected';
  if (err.code === 'RATE_LIMITED' || err.code === 'SLACK_RATELIMITED' || err.code === 'SLACK_RATE_LIMITED')
    return 'rate_limited';
  return err.retryable ? 'retryable' : 'permanent';
}

export async function instrument<T>(
  deps: ConnectorDeps,
  vendor: ConnectorVendor,
  op: string,
  meta: CallMeta,
  call: (log: Logger) => Promise<T>,
): Promise<T> {
  const log = deps.logger.child({ vendor, op, incidentId: meta.incidentId, jobId: meta.jobId });
  const started = performance.now();
  const finish = (outcome: CallOutcome): number => {
    const seconds = (performance.now() - started) / 1000;
    connectorCallDuration.observe({ vendor, op, outcome }, seconds);
    connectorCalls.inc({ vendor, op, outcome });
    return Math.round(seconds * 1000);
  };
  try {
    const result = await call(log);
    log.debug({ outcome: 'ok', durationMs: finish('ok') }, 'connector call succeeded');
    return result;
  } catch (err) {
    const outcome = outcomeOf(err);
    const durationMs = finish(outcome);
    if (isConnectorError(err)) {
      // Code, status and the vendor's short detail only: the error's cause may hold request internals.
      const fields = {
        outcome,
        durationMs,
        code: err.code,
        status: err.status,
        retryable: err.retryable,
        retryAfterMs: err.retryAfterMs,
        detail: err.detail,
      };
      if (err.retryable) log.warn(fields, 'connector call failed, retryable');
      else log.error(fields, 'connector call failed, permanent');
    } else {
      log.error(
        { outcome, durationMs, errName: err instanceof Error ? err.name : typeof err },
        'connector call threw an unexpected error',
      );
    }
    throw err;
  }
}

/** Binds deps and vendor once per connector, so each operation reads `call('op', meta, fn)`. */
export function instrumentFor(deps: ConnectorDeps, vendor: ConnectorVendor) {
  return <T>(op: string, meta: CallMeta, call: (log: Logger) => Promise<T>): Promise<T> =>
    instrument(deps, vendor, op, meta, call);
}
