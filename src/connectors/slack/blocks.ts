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

/**
 * Text anyone can type into a ticket (a title, a comment) → mrkdwn that shows it as typed.
 * `&`, `<` and `>` are Slack's control characters and become entities
 * (https://docs.slack.dev/messaging/formatting-message-text#escaping), so no `<!channel>`,
 * `<@U…>` or `<https://…|label>` can form. An entity already there is kept, so escaping twice
 * changes nothing (a template's captured text printed again). `@channel`, `@here` and
 * `@everyone` get a word joiner after the `@`, so no client or setting can read them as the
 * special mentions they spell. `*`, `_`, `~` and backticks are left: mrkdwn has no escape for
 * them, they can restyle the text but not link, mention or notify, and invisible characters
 * between them would corrupt the identifiers and URLs people copy from an incident message.
 */
export function escapeMrkdwn(text: string): string {
  return text
    .replace(/&(?!(?:amp|lt|gt);)/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/@(channel|here|everyone)\b/gi, '@\u2060$1');
}

/** A URL inside `<…|label>`: its control characters escaped, `|` percent-encoded so it cannot end the URL early. */
const linkUrl = (url: string) => escapeMrkdwn(url).replace(/\|/g, '%7C');

/**
 * `verbatim: true`: Slack skips its automatic parsing of the text (channel names, URLs, "certain
 * mentions"); what the text says explicitly (`<url|label>`, formatting) still renders.
 * https://docs.slack.dev/reference/block-kit/composition-objects/text-object
 */
const mrkdwn = (text: string) => ({ type: 'mrkdwn', text, verbatim: true });

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
      fields: facts.map((f) =>
        mrkdwn(truncate(`*${escapeMrkdwn(f.title)}*\n${escapeMrkdwn(f.value)}`, FIELD_TEXT_MAX_LENGTH)),
      ),
    });
  }
  const links = (message.links ?? [])
    .map((l) => `<${linkUrl(l.url)}|${escapeMrkdwn(l.title).replace(/\|/g, '¦')}>`)
    .join('  ·  ');
  // Room is kept for the links block so a long text cannot push it out.
  const room = BLOCKS_MAX - blocks.length - (links ? 1 : 0);
  // The body is mrkdwn already: rendered from a template whose values were escaped (templates/output-targets.ts).
  const body = chunks(message.text, SECTION_TEXT_MAX_LENGTH).slice(0, room);
  for (const text of body) blocks.push({ type: 'section', text: mrkdwn(text) });
  if (links) blocks.push({ type: 'context', elements: [mrkdwn(truncate(links, SECTION_TEXT_MAX_LENGTH))] });
  return blocks;
}

/** The notification and fallback text shown where blocks are not (push notifications, old clients). */
export function slackFallbackText(message: ChatMessage): string {
  return truncate(`${escapeMrkdwn(message.title)}\n${message.text}`, TEXT_MAX_LENGTH);
}
