import type { RedisClient } from '../lib/redis-client.ts';
import { keys } from './keys.ts';

/**
 * When a service was last drilled, as the drills feature records it: JSON `{miId, closedAt, met}`
 * (closedAt an ISO 8601 time). Undefined when it never was; a value that does not read so is
 * "never", so a stray write cannot make a service look drilled. Written by process/drill-store.ts
 * when a drill's scorecard is recorded.
 */
export function lastDrillReader(redis: RedisClient, prefix: string): (serviceId: string) => Promise<Date | undefined> {
  const k = keys(prefix);
  return async (serviceId) => parseLastDrill(await redis.get(k.lastDrill(serviceId)));
}

export function parseLastDrill(value: string | null): Date | undefined {
  if (!value) return undefined;
  let closedAt: unknown;
  try {
    closedAt = (JSON.parse(value) as { closedAt?: unknown } | null)?.closedAt;
  } catch {
    return undefined;
  }
  if (typeof closedAt !== 'string') return undefined;
  const at = new Date(closedAt);
  return Number.isNaN(at.getTime()) ? undefined : at;
}
