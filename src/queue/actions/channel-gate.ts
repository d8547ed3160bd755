import type { RedisClient } from '../../lib/redis-client.ts';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Target } from '../../domain/action.ts';
import type { Logger } from '../../observability/logger.ts';

/**
 * A limit that applies to each channel of a target on its own, on top of the queue's limiter
 * (which is the whole-workspace ceiling). Slack's chat.postMessage "generally allows an app to
 * post 1 message per second to a specific channel", with a workspace-wide limit beside it:
 * https://docs.slack.dev/reference/methods/chat.postMessage#rate_limiting
 * https://docs.slack.dev/apis/web-api/rate-limits
 * A status-message job makes at most one such post per channel beyond short bursts Slack
 * tolerates (a first update posts the status and its threaded reply), so one job per channel
 * per second stays within the limit.
 */
export interface ChannelLimit {
  /** Jobs per channel that may start in one window. */
  readonly points: number;
  /** The window, in whole seconds (the counter's Redis expiry is set in seconds). */
  readonly seconds: number;
}

export const CHANNEL_LIMITS: Partial<Record<Target, ChannelLimit>> = {
  slack: { points: 1, seconds: 1 },
};

/** Whether a channel may be posted to now: 0 when it may, else how long to wait in milliseconds. */
export interface ChannelGate {
  waitMs(channel: string): Promise<number>;
}

/** `#payroll-status` and `payroll-status` are one channel; Slack ids (`C0123…`) are kept as they are. */
export const channelKey = (channel: string): string => channel.replace(/^#/, '');

/**
 * The per-channel counter lives in Redis under the service's prefix, so every worker process of
 * the target shares it (rate-limiter-flexible's fixed window per key).
 */
export function createChannelGate(
  redis: RedisClient,
  prefix: string,
  target: Target,
  limit: ChannelLimit,
  logger: Logger,
): ChannelGate {
  const limiter = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: `${prefix}:ratelimit:${target}-channel`,
    points: limit.points,
    duration: limit.seconds,
  });
  return {
    async waitMs(channel) {
      try {
        await limiter.consume(channelKey(channel));
        return 0;
      } catch (err) {
        if (err instanceof RateLimiterRes) {
          // Waiters beyond the first go to later windows, one per window, instead of all coming back at once.
          const queued = Math.max(0, err.consumedPoints - limit.points - 1);
          return Math.max(1, err.msBeforeNext) + queued * limit.seconds * 1000;
        }
        // Redis failing here fails the worker's own commands too; posting anyway leaves the vendor's
        // 429 and Retry-After, which the worker honours, as the limit rather than dead-lettering a message.
        logger.warn({ err, target }, 'per-channel rate limit unavailable; sending without it');
        return 0;
      }
    },
  };
}
