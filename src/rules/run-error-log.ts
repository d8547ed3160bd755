import { Counter } from 'prom-client';
import type { RedisClient } from '../lib/redis-client.ts';
import type { Logger } from '../observability/logger.ts';
import { registry } from '../observability/metrics.ts';
import type { Evaluation } from './evaluate.ts';
import { runErrors, type RuleRunError } from './run-errors.ts';

/**
 * The one file of rules/ that does I/O: a rule that errs at run time is counted, logged and recorded in Redis, where
 * /readyz (http/health.ts) and the console read it. The rest of rules/ stays pure.
 */

export const ruleErrorsTotal = new Counter({
  name: 'mim_rule_errors_total',
  help:
    'Evaluations of a live rule whose condition could not be evaluated (a field the event lacks, a pattern RE2 ' +
    'refuses), by rule id. Such a rule does not match: alert on any increase.',
  labelNames: ['rule'] as const,
  registers: [registry],
});

/** The hash of the last run-time error per rule: shared by every process on the prefix, read by /readyz. */
export const ruleErrorsKey = (prefix: string) => `${prefix}:health:rule-errors`;
/** How long /readyz keeps warning after a rule last erred; also how long a record lives without a new error. */
export const RULE_ERROR_WARN_MS = 15 * 60_000;
/** At most one log line per rule per this interval per process: a storm must not turn into a storm of warnings. */
export const RULE_ERROR_LOG_EVERY_MS = 60_000;

export interface RuleErrorLogDeps {
  readonly redis: RedisClient;
  readonly prefix: string;
  readonly logger: Logger;
  readonly now?: () => number;
}

export type RuleErrorReporter = (
  evaluation: Evaluation,
  incident: { source: string; recordId: string },
) => Promise<void>;

/**
 * What the events worker calls after each evaluation. Counting never waits for Redis; a failed write is logged at
 * debug and does not fail the event (the count and the log line already tell).
 */
export function ruleErrorReporter(deps: RuleErrorLogDeps): RuleErrorReporter {
  const lastLogged = new Map<string, number>();
  return async (evaluation, incident) => {
    const at = deps.now?.() ?? Date.now();
    const errors = runErrors(evaluation, `${incident.source}/${incident.recordId}`, at);
    if (errors.length === 0) return;
    for (const e of errors) {
      ruleErrorsTotal.inc({ rule: e.rule });
      if (at - (lastLogged.get(e.rule) ?? Number.NEGATIVE_INFINITY) < RULE_ERROR_LOG_EVERY_MS) continue;
      lastLogged.set(e.rule, at);
      deps.logger.warn(
        { rule: e.rule, error: e.error, configVersion: e.configVersion, incident: e.incident },
        'a rule could not be evaluated and did not match; fix its condition (guard the field with has())',
      );
    }
    const key = ruleErrorsKey(deps.prefix);
    try {
      await deps.redis
        .multi()
        .hset(key, Object.fromEntries(errors.map((e) => [e.rule, JSON.stringify(e)])))
        .pexpire(key, RULE_ERROR_WARN_MS)
        .exec();
    } catch (err) {
      deps.logger.debug({ err: (err as Error).message }, 'could not record a rule error in Redis');
    }
  };
}

/** The rules that erred within `withinMs` before `now`, most recent first; records that do not parse are skipped. */
export async function recentRuleErrors(
  redis: RedisClient,
  prefix: string,
  now: number,
  withinMs = RULE_ERROR_WARN_MS,
): Promise<RuleRunError[]> {
  const all = await redis.hgetall(ruleErrorsKey(prefix));
  const out: RuleRunError[] = [];
  for (const text of Object.values(all)) {
    try {
      const e = JSON.parse(text) as RuleRunError;
      if (typeof e.at === 'number' && now - e.at <= withinMs) out.push(e);
    } catch {
      // A record written by another version of mim-bridge: not ours to read.
    }
  }
  return out.sort((a, b) => b.at - a.at);
}
