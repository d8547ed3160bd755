/**
 * Arguments checks of chat.postMessage / chat.update, with Slack's error strings (HTTP 200,
 * `{ok: false, error}`).
 * https://docs.slack.dev/reference/methods/chat.postMessage#errors
 * https://docs.slack.dev/reference/methods/chat.update#errors
 */

/** "A maximum of 50 blocks are allowed per message." */
export const BLOCKS_MAX = 50;

export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

/** The token from `Authorization: Bearer …` or, for form posts, the `token` argument. */
export function tokenOf(authorization: string | undefined, body: Record<string, unknown>): string | undefined {
  const bearer = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  return bearer ?? (typeof body.token === 'string' && body.token ? body.token : undefined);
}

/** `blocks` arrives as an array in JSON posts and as a JSON string in form posts. */
export function blocksOf(raw: unknown): Checked<readonly Record<string, unknown>[] | undefined> {
  if (raw === undefined || raw === '') return { ok: true, value: undefined };
  let blocks = raw;
  if (typeof raw === 'string') {
    try {
      blocks = JSON.parse(raw);
    } catch {
      return { ok: false, error: 'invalid_blocks_format' };
    }
  }
  if (!Array.isArray(blocks)) return { ok: false, error: 'invalid_blocks_format' };
  if (blocks.length > BLOCKS_MAX) return { ok: false, error: 'invalid_blocks' };
  const wellFormed = blocks.every(
    (b) => typeof b === 'object' && b !== null && typeof (b as { type?: unknown }).type === 'string',
  );
  return wellFormed ? { ok: true, value: blocks as Record<string, unknown>[] } : { ok: false, error: 'invalid_blocks' };
}

export interface MessageArgs {
  readonly channel: string;
  readonly text: string;
  readonly blocks?: readonly Record<string, unknown>[];
  readonly ts?: string;
  readonly threadTs?: string;
}

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

export function messageArgs(body: Record<string, unknown>): Checked<MessageArgs> {
  const channel = str(body.channel);
  if (!channel) return { ok: false, error: 'channel_not_found' };
  const blocks = blocksOf(body.blocks);
  if (!blocks.ok) return blocks;
  const text = str(body.text);
  if (!text && !blocks.value?.length) return { ok: false, error: 'no_text' };
  return {
    ok: true,
    value: { channel, text: text ?? '', blocks: blocks.value, ts: str(body.ts), threadTs: str(body.thread_ts) },
  };
}
