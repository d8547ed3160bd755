import type { RedisClient } from '../lib/redis-client.ts';

/**
 * What a `202` is worth is what Redis keeps across a crash. Measured with SIGKILL under load
 * (docs/reliability.md §1): `appendfsync always` lost none of ~100,000 acknowledged webhooks in
 * every run; `everysec` lost a handful in some runs (4, 6), because Redis postpones its AOF write
 * while the previous second's fsync lags and still answers; without the AOF everything since the
 * last snapshot is lost. Not a refusal to start, as `noeviction` is: a team may accept the window
 * (ServiceNow's reconciliation sweep takes records in again, Jira retries), but it is told once.
 */
export interface Persistence {
  readonly aofEnabled: boolean;
  /** Undefined when CONFIG GET is not allowed (managed Redis often disables it). */
  readonly appendfsync: string | undefined;
}

export function persistenceWarning(p: Persistence): string | undefined {
  if (!p.aofEnabled) {
    return (
      'Redis runs without the AOF (appendonly no): a Redis crash or restart loses every webhook acknowledged since ' +
      'its last snapshot. Set appendonly yes and appendfsync always (docs/operations.md#redis-requirements)'
    );
  }
  if (p.appendfsync !== undefined && p.appendfsync !== 'always') {
    return (
      `Redis runs with appendfsync ${p.appendfsync}: a Redis crash can lose webhooks acknowledged in its last ` +
      'second or two (the Redis-kill chaos runs lost up to 6 of ~100,000 under everysec, none under always). Set ' +
      'appendfsync always (docs/operations.md#redis-requirements)'
    );
  }
  return undefined;
}

export async function readPersistence(redis: RedisClient): Promise<Persistence> {
  const info = await redis.info('persistence');
  const aofEnabled = /^aof_enabled:1/m.test(info);
  let appendfsync: string | undefined;
  try {
    const reply = (await redis.config('GET', 'appendfsync')) as string[];
    appendfsync = reply[1];
  } catch {
    appendfsync = undefined;
  }
  return { aofEnabled, appendfsync };
}
