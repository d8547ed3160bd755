import type { RedisClient } from '../lib/redis-client.ts';
import { z } from 'zod';
import { timelineEntry, type MajorIncident, type TimelineEntry } from '../domain/major-incident.ts';
import { keys } from '../store/keys.ts';
import type { ProcessTargets } from './targets.ts';
import { SCORECARD_ENTRY, scorecard } from './scorecard.ts';

/** The service's last closed drill, as readiness reads it ("time since the last drill"). */
export const LastDrill = z.object({
  miId: z.string(),
  closedAt: z.iso.datetime({ offset: true }),
  /** Whether every target of its scorecard was met. */
  met: z.boolean(),
});
export type LastDrill = z.infer<typeof LastDrill>;

/** The service's last closed drill; undefined when it never had one (or the value is unreadable). */
export async function readLastDrill(
  redis: RedisClient,
  prefix: string,
  serviceId: string,
): Promise<LastDrill | undefined> {
  const raw = await redis.get(keys(prefix).lastDrill(serviceId));
  if (!raw) return undefined;
  try {
    const parsed = LastDrill.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Records `drill` as the service's last one unless a drill closed later is recorded already (two
 * drills scored out of order). True when written.
 */
export async function writeLastDrill(
  redis: RedisClient,
  prefix: string,
  serviceId: string,
  drill: LastDrill,
): Promise<boolean> {
  const held = await readLastDrill(redis, prefix, serviceId);
  if (held && Date.parse(held.closedAt) > Date.parse(drill.closedAt)) return false;
  await redis.set(keys(prefix).lastDrill(serviceId), JSON.stringify(LastDrill.parse(drill)));
  return true;
}

/**
 * A closed drill's scorecard, once: the first caller to store it (SET NX on the drill's own key)
 * writes the service's last drill and gets the `drill.scorecard` entry to append; every later
 * call, from any process, gets none. Anything else (a real major incident, an open drill) gets none.
 */
export async function recordScorecard(
  redis: RedisClient,
  prefix: string,
  mi: MajorIncident,
  timeline: readonly TimelineEntry[],
  targets: ProcessTargets,
  now: Date,
): Promise<TimelineEntry[]> {
  if (!mi.exercise || mi.state !== 'closed') return [];
  if (timeline.some((e) => e.kind === SCORECARD_ENTRY)) return [];
  const card = scorecard(mi, timeline, targets);
  const won = await redis.set(keys(prefix).miScorecard(mi.id), JSON.stringify(card), 'NX');
  if (won !== 'OK') return [];
  await writeLastDrill(redis, prefix, mi.serviceId, {
    miId: mi.id,
    closedAt: mi.closedAt ?? now.toISOString(),
    met: card.met,
  });
  return [
    timelineEntry({
      at: now,
      kind: SCORECARD_ENTRY,
      actor: { type: 'system', id: 'drills' },
      detail: { ...card },
      configVersion: undefined,
    }),
  ];
}
