import type { PayloadIssue } from '../inbound-source.ts';

/**
 * How far a sender's own time may run ahead of ours. Snapshots are ordered by the source's time,
 * so one delivery dated in the far future would make every later real update of its record
 * "stale"; five minutes covers clock skew between NTP-synced systems (the Standard Webhooks
 * tolerance). Refused rather than parked: a signed future date is either a broken sender clock,
 * which an operator must see (the sender logs the 400), or a forgery worth refusing.
 * https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md
 */
export const MAX_FUTURE_SKEW_MS = 5 * 60_000;

/** The issue to answer when the source time is beyond the skew allowed, else undefined. */
export function futureTimeIssue(
  updatedAt: string,
  receivedAt: Date,
  path: string,
  maxSkewMs = MAX_FUTURE_SKEW_MS,
): PayloadIssue | undefined {
  const ahead = Date.parse(updatedAt) - receivedAt.getTime();
  if (!(ahead > maxSkewMs)) return undefined;
  return {
    path,
    message:
      `${new Date(Date.parse(updatedAt)).toISOString()} is more than ${maxSkewMs / 60_000} minutes after this ` +
      `service's clock (${receivedAt.toISOString()})`,
  };
}
