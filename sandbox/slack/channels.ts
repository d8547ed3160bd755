import { randomBytes } from 'node:crypto';

/** Channels and their messages as Slack keeps them: top-level messages with threads, edits in place. */

export interface SlackEdit {
  readonly at: string;
  readonly text: string;
  readonly blocks?: unknown;
}

export interface SlackMessage {
  readonly type: 'message';
  readonly ts: string;
  readonly thread_ts?: string;
  readonly user: string;
  readonly bot_id: string;
  text: string;
  blocks?: unknown;
  /** Message metadata (`chat.postMessage` `metadata`), returned by conversations.history with include_all_metadata. */
  metadata?: unknown;
  edited?: { readonly user: string; readonly ts: string };
  /** Earlier versions, oldest first (Slack keeps only the latest; tests want them all). */
  readonly edits: SlackEdit[];
  /** Replies in this message's thread. */
  readonly replies: SlackMessage[];
}

export interface SlackChannel {
  readonly id: string;
  readonly name: string;
  readonly messages: SlackMessage[];
}

export const BOT_USER = 'U0MIMBOT01';
export const BOT_ID = 'B0MIMBOT01';

/** Channel ids: `C` and ten upper-case alphanumerics. */
function channelId(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  return `C${Array.from(randomBytes(10), (b) => alphabet[b % alphabet.length]).join('')}`;
}

export function createChannels(names: readonly string[]) {
  const channels: SlackChannel[] = names.map((n) => ({ id: channelId(), name: n.replace(/^#/, ''), messages: [] }));
  /** `channel` may be an id, a name, or `#name`, as chat.postMessage allows. */
  const find = (ref: string) => channels.find((c) => c.id === ref || c.name === ref.replace(/^#/, ''));
  /** chat.update and conversations.history take ids only. */
  const byId = (id: string) => channels.find((c) => c.id === id);
  const findMessage = (channel: SlackChannel, ts: string): SlackMessage | undefined => {
    for (const m of channel.messages) {
      if (m.ts === ts) return m;
      const reply = m.replies.find((r) => r.ts === ts);
      if (reply) return reply;
    }
    return undefined;
  };
  return { channels, find, byId, findMessage };
}

/** Unique, increasing `ts` values: epoch seconds with six digits of microseconds. */
export function createTsClock(now: () => number) {
  let last = 0;
  return (): string => {
    const micros = Math.max(now() * 1000, last + 1);
    last = micros;
    return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
  };
}
