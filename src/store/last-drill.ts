import type { Redis } from 'ioredis';

/**
 * When a service was last drilled, as the drills feature records it (one string per service:
 * an ISO 8601 time, or milliseconds since the epoch). Undefined when it never was; a value that is
 * neither reads as never, so a stray write cannot make a service look drilled.
 *
 * TODO(#22 drills): build the key with keys.lastDrill(serviceId) once store/keys.ts has it, and drop the
 * spelling below (keys.ts is the one place that names keys; this is the same string until then).
 */
export function lastDrillReader(redis: Redis, prefix: string): (serviceId: string) => Promise<Date | undefined> {
  return async (serviceId) => parseLastDrill(await redis.get(`${prefix}:drill:last:${serviceId}`));
}

export function parseLastDrill(value: string | null): Date | undefined {
  if (!value) return undefined;
  const at = /^\d+$/.test(value) ? new Date(Number(value)) : new Date(value);
  return Number.isNaN(at.getTime()) ? undefined : at;
}
