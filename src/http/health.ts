import type { Request, Response } from 'express';
import type { RedisClient } from '../lib/redis-client.ts';
import { consumptionAge } from '../queue/canary.ts';
import type { Keys } from '../store/keys.ts';
import { primaryFor, readMaxmemoryPolicy } from '../queue/redis-nodes.ts';
import type { ReplicaWait } from '../queue/replica-wait.ts';
import { withTimeout } from '../lib/with-timeout.ts';
import { RULE_ERROR_WARN_MS, recentRuleErrors } from '../rules/run-error-log.ts';

export interface ReadinessDeps {
  readonly redis: RedisClient;
  readonly keys: Keys;
  /** A consumption stamp older than this means the events workers have stopped. */
  readonly maxConsumptionAgeMs: number;
  /** The intake's own connection (the duplicate records), in a process that takes webhooks. */
  readonly intakeRedis?: RedisClient;
  /** With MIM_INTAKE_MIN_REPLICAS: webhooks answer 503 while fewer replicas than that are online. */
  readonly replicas?: Pick<ReplicaWait, 'online' | 'minReplicas'>;
}

type Check = { ok: boolean; detail?: string };

const CHECK_TIMEOUT_MS = 500;

export async function readiness(deps: ReadinessDeps): Promise<Record<string, Check>> {
  const checks: Record<string, Check> = {};
  const timeout = () => new Error('timed out');
  try {
    // The node holding the keys (on a Cluster, the primary of the prefix's slot, not any node).
    await withTimeout(
      primaryFor(deps.redis, deps.keys.prefix).then((node) => node.ping()),
      CHECK_TIMEOUT_MS,
      timeout,
    );
    checks.redis = { ok: true };
    const policy = await withTimeout(readMaxmemoryPolicy(deps.redis), CHECK_TIMEOUT_MS, timeout);
    checks.redisPolicy =
      policy === 'noeviction'
        ? { ok: true }
        : { ok: false, detail: `maxmemory-policy is ${policy ?? 'unknown'}; queues need noeviction` };
    const age = await withTimeout(consumptionAge(deps.redis, deps.keys), CHECK_TIMEOUT_MS, timeout);
    checks.eventsWorker =
      age !== undefined && age <= deps.maxConsumptionAgeMs
        ? { ok: true, detail: `consumed ${Math.round(age / 1000)}s ago` }
        : {
            ok: false,
            detail:
              age === undefined
                ? 'no events worker has consumed yet'
                : `last consumption ${Math.round(age / 1000)}s ago`,
          };
    if (deps.replicas) {
      const online = await withTimeout(deps.replicas.online(deps.redis), CHECK_TIMEOUT_MS, timeout);
      const min = deps.replicas.minReplicas;
      checks.replicas =
        online >= min
          ? { ok: true, detail: `${online} online` }
          : {
              ok: false,
              detail: `${online} replica(s) online, MIM_INTAKE_MIN_REPLICAS is ${min}; webhooks answer 503`,
            };
    }
  } catch (err) {
    checks.redis = { ok: false, detail: `unreachable (${(err as Error).message})` };
  }
  // Its own connection: one that is down while the producer's is up still turns every webhook into a 503.
  const intake = deps.intakeRedis?.status;
  if (intake !== undefined)
    checks.intake =
      intake === 'ready'
        ? { ok: true }
        : { ok: false, detail: `the intake's Redis connection is ${intake}; webhooks answer 503` };
  return checks;
}

/**
 * Something an operator should fix that does not stop the service from taking and handling events, so /readyz stays
 * 200 and says it beside the checks.
 */
export interface ReadinessWarning {
  readonly check: string;
  readonly detail: string;
  readonly rules?: ReadonlyArray<{ rule: string; error: string; at: string; configVersion: string }>;
}

/**
 * A live rule that erred at run time does not match, so the rule is as good as off (a typo the checker cannot see,
 * such as a field most events lack, read without has()). Its rule id, CEL's reason (event text redacted) and when:
 * the incident is not named here, /readyz answers anyone.
 */
export async function readinessWarnings(deps: ReadinessDeps, now = Date.now()): Promise<ReadinessWarning[]> {
  let errors: Awaited<ReturnType<typeof recentRuleErrors>>;
  try {
    errors = await withTimeout(recentRuleErrors(deps.redis, deps.keys.prefix, now), CHECK_TIMEOUT_MS, () => {
      return new Error('timed out');
    });
  } catch {
    return []; // Redis is down or slow: the redis check already says so.
  }
  if (errors.length === 0) return [];
  const minutes = Math.round(RULE_ERROR_WARN_MS / 60_000);
  const ids = errors.map((e) => e.rule).join(', ');
  return [
    {
      check: 'rules',
      detail:
        `${errors.length === 1 ? 'rule' : 'rules'} ${ids} could not be evaluated in the last ${minutes} minutes ` +
        'and did not match; see mim_rule_errors_total and the rule simulator',
      rules: errors.map((e) => ({
        rule: e.rule,
        error: e.error,
        at: new Date(e.at).toISOString(),
        configVersion: e.configVersion,
      })),
    },
  ];
}

export function healthz(_req: Request, res: Response): void {
  res.json({ status: 'ok' });
}

/**
 * `?scope=intake` leaves the events-worker check out of the verdict (it is still reported): can this
 * process take webhooks durably now? A load balancer that probes every web process with the full check
 * takes them all out together when the workers stop, and webhooks that Redis would have kept get the
 * balancer's error instead (docs/operations.md#probes).
 */
const SCOPES = { all: () => true, intake: (check: string) => check !== 'eventsWorker' } as const;
type Scope = keyof typeof SCOPES;

export function readyz(deps: ReadinessDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const scope = req.query.scope ?? 'all';
    if (typeof scope !== 'string' || !Object.hasOwn(SCOPES, scope)) {
      res.status(400).json({ error: 'bad_scope', reason: 'scope must be "intake" or left out (every check counts)' });
      return;
    }
    const counts = SCOPES[scope as Scope];
    const [checks, warnings] = await Promise.all([readiness(deps), readinessWarnings(deps)]);
    const ready = Object.entries(checks).every(([name, c]) => c.ok || !counts(name));
    res.status(ready ? 200 : 503).json({
      status: ready ? 'ready' : 'not_ready',
      ...(scope === 'all' ? {} : { scope }),
      checks,
      ...(warnings.length ? { warnings } : {}),
    });
  };
}
