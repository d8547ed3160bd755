import type { RedisClient } from '../lib/redis-client.ts';
import { keys, type Keys } from './keys.ts';
import { runScript, SCRIPTS } from './scripts.ts';

/**
 * Exact sliding windows in Redis sorted sets, shared by every worker process: one set of
 * incidents and one of callers per (window, service), scored by the event's source time.
 * Members are incident keys, so repeated updates of one incident count once (lua/touch-window-2.lua).
 */

export interface WindowFacts {
  readonly count: number;
  readonly distinctCallers: number;
}

export interface WindowTouch {
  readonly windowId: string;
  readonly serviceId: string;
  readonly durationMs: number;
  /** The event's source time (ms). */
  readonly at: number;
  /** Present when this event matches the window's filter and so is counted. */
  readonly incidentKey?: string;
  readonly caller?: string;
}

export class WindowStore {
  readonly #redis: RedisClient;
  readonly #keys: Keys;

  constructor(redis: RedisClient, prefix: string) {
    this.#redis = redis;
    this.#keys = keys(prefix);
  }

  /** The incidents counted in the window at `at` (incident keys, oldest first). */
  async members(windowId: string, serviceId: string, durationMs: number, at: number): Promise<string[]> {
    return this.#redis.zrange(
      this.#keys.window(windowId, serviceId, 'incidents'),
      String(at - durationMs),
      '+inf',
      'BYSCORE',
    );
  }

  /** Adds the event when it matches, then returns the window's facts as of the event's time. */
  async touch(t: WindowTouch, nowWall = Date.now()): Promise<WindowFacts> {
    const [count, callers] = (await runScript(
      this.#redis,
      SCRIPTS.touchWindow,
      [this.#keys.window(t.windowId, t.serviceId, 'incidents'), this.#keys.window(t.windowId, t.serviceId, 'callers')],
      [String(t.at), String(t.durationMs), String(nowWall), t.incidentKey ?? '', t.incidentKey ? (t.caller ?? '') : ''],
    )) as [number, number];
    return { count, distinctCallers: callers };
  }
}
