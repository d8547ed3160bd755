import type { Redis } from 'ioredis';

/**
 * Exact sliding windows in Redis sorted sets, shared by every worker process: one set of
 * incidents and one of callers per (window, service), scored by the event's source time.
 * Members are incident keys, so repeated updates of one incident count once.
 */
const TOUCH = `
local at = tonumber(ARGV[1])
local duration = tonumber(ARGV[2])
local nowWall = tonumber(ARGV[3])
if ARGV[4] ~= '' then redis.call('ZADD', KEYS[1], at, ARGV[4]) end
if ARGV[5] ~= '' then redis.call('ZADD', KEYS[2], at, ARGV[5]) end
-- Trim by wall clock with one window of slack, so a late delivery still finds its neighbours.
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', nowWall - 2 * duration)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', nowWall - 2 * duration)
redis.call('PEXPIRE', KEYS[1], 2 * duration + 60000)
redis.call('PEXPIRE', KEYS[2], 2 * duration + 60000)
local from = at - duration
return { redis.call('ZCOUNT', KEYS[1], from, '+inf'), redis.call('ZCOUNT', KEYS[2], from, '+inf') }
`;

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
  readonly #redis: Redis;
  readonly #prefix: string;

  constructor(redis: Redis, prefix: string) {
    this.#redis = redis;
    this.#prefix = prefix;
  }

  /** The incidents counted in the window at `at` (incident keys, oldest first). */
  async members(windowId: string, serviceId: string, durationMs: number, at: number): Promise<string[]> {
    return this.#redis.zrange(`${this.#prefix}:window:${windowId}:${serviceId}:incidents`, String(at - durationMs), '+inf', 'BYSCORE');
  }

  /** Adds the event when it matches, then returns the window's facts as of the event's time. */
  async touch(t: WindowTouch, nowWall = Date.now()): Promise<WindowFacts> {
    const base = `${this.#prefix}:window:${t.windowId}:${t.serviceId}`;
    const [count, callers] = (await this.#redis.eval(
      TOUCH, 2, `${base}:incidents`, `${base}:callers`,
      String(t.at), String(t.durationMs), String(nowWall), t.incidentKey ?? '', t.incidentKey ? (t.caller ?? '') : '',
    )) as [number, number];
    return { count, distinctCallers: callers };
  }
}
