import type { RedisClient } from '../lib/redis-client.ts';

/**
 * When a service was last drilled, as the drills feature records it: JSON `{miId, closedAt, met}`
 * (closedAt an ISO 8601 time). Undefined when it never was; a value that does not read so is
 * "never", so a stray write cannot make a service look drilled.
 *
 * TODO(#22 drills): build the key with keys.lastDrill(serviceId) once store/keys.ts has it, and drop the
 * spelling below (keys.ts is the one place that names keys; this is the same string until then).
 */
export function lastDrillReader(redis: RedisClient, prefix: string): (serviceId: string) => Promise<Date | undefined> {
  return async (serviceId) => parseLastDrill(await redis.get(`${prefix}:drill:last:${serviceId}`));
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
