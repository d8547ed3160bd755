import type { ChatMessage } from '../capabilities.ts';
import { truncate } from '../shared/markers.ts';

/**
 * Pure Block Kit builder for a vendor-neutral ChatMessage. Limits from
 * https://docs.slack.dev/reference/block-kit/blocks/header-block (text ≤ 150),
 * https://docs.slack.dev/reference/block-kit/blocks/section-block (text ≤ 3000, ≤ 10 fields of ≤ 2000),
 * https://docs.slack.dev/reference/methods/chat.postMessage (≤ 50 blocks; text over 40,000 characters is truncated).
 */
export const HEADER_MAX_LENGTH = 150;
export const SECTION_TEXT_MAX_LENGTH = 3000;
export const SECTION_FIELDS_MAX = 10;
export const FIELD_TEXT_MAX_LENGTH = 2000;
export const BLOCKS_MAX = 50;
export const TEXT_MAX_LENGTH = 40_000;

/** mrkdwn treats `&`, `<` and `>` as control characters: https://docs.slack.dev/messaging/formatting-message-text#escaping */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function chunks(text: string, size: number): string[] {
  const chars = Array.from(text);
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += size) out.push(chars.slice(i, i + size).join(''));
  return out;
}

export type SlackBlock = Record<string, unknown>;

export function slackBlocks(message: ChatMessage): SlackBlock[] {
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(message.title, HEADER_MAX_LENGTH) } },
  ];
  const facts = (message.facts ?? []).slice(0, SECTION_FIELDS_MAX);
  if (facts.length) {
    blocks.push({
      type: 'section',
      fields: facts.map((f) => ({ type: 'mrkdwn', text: truncate(`*${escapeMrkdwn(f.title)}*\n${escapeMrkdwn(f.value)}`, FIELD_TEXT_MAX_LENGTH) })),
    });
  }
  const links = (message.links ?? []).map((l) => `<${l.url}|${escapeMrkdwn(l.title).replace(/\|/g, '¦')}>`).join('  ·  ');
  // Room is kept for the links block so a long text cannot push it out.
  const room = BLOCKS_MAX - blocks.length - (links ? 1 : 0);
  const body = chunks(escapeMrkdwn(message.text), SECTION_TEXT_MAX_LENGTH).slice(0, room);
  for (const text of body) blocks.push({ type: 'section', text: { type: 'mrkdwn', text } });
  if (links) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: truncate(links, SECTION_TEXT_MAX_LENGTH) }] });
  return blocks;
}

/** The notification and fallback text shown where blocks are not (push notifications, old clients). */
export function slackFallbackText(message: ChatMessage): string {
  return truncate(escapeMrkdwn(`${message.title}\n${message.text}`), TEXT_MAX_LENGTH);
}
