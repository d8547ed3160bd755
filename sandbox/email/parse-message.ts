import { decodeTransfer, decodeWords } from './decode.ts';

/**
 * Enough of RFC 5322 / MIME to show what mim-bridge sent: the headers (unfolded, encoded words
 * decoded), the text and HTML bodies, multipart/alternative and /mixed walked for them.
 */

export interface ParsedMessage {
  /** Header values by lower-cased name, in order; a repeated header keeps every value. */
  readonly headers: Readonly<Record<string, readonly string[]>>;
  readonly from?: string;
  readonly to: readonly string[];
  readonly cc: readonly string[];
  readonly subject?: string;
  readonly messageId?: string;
  readonly inReplyTo?: string;
  readonly references: readonly string[];
  readonly text?: string;
  readonly html?: string;
}

interface Part {
  readonly headers: Record<string, string[]>;
  readonly body: string;
}

function splitPart(raw: string): Part {
  const match = /\r?\n\r?\n/.exec(raw);
  const head = match ? raw.slice(0, match.index) : raw;
  const body = match ? raw.slice(match.index + match[0].length) : '';
  const headers: Record<string, string[]> = {};
  // Continuation lines start with white space (RFC 5322 §2.2.3, folding).
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    headers[name] ??= [];
    headers[name]!.push(decodeWords(line.slice(colon + 1).trim()));
  }
  return { headers, body };
}

const first = (p: Part, name: string) => p.headers[name]?.[0];
const param = (value: string | undefined, name: string) =>
  new RegExp(`${name}="?([^";]+)"?`, 'i').exec(value ?? '')?.[1];

function bodies(part: Part, out: { text?: string; html?: string }): void {
  const type = (first(part, 'content-type') ?? 'text/plain').toLowerCase();
  const boundary = type.startsWith('multipart/') ? param(first(part, 'content-type'), 'boundary') : undefined;
  if (boundary) {
    const sections = part.body.split(`--${boundary}`).slice(1);
    for (const section of sections) {
      if (section.startsWith('--')) break;
      bodies(splitPart(section.replace(/^\r?\n/, '')), out);
    }
    return;
  }
  // SMTP carries CRLF line ends; the text is given back with LF, as it was written.
  const decoded = decodeTransfer(part.body, first(part, 'content-transfer-encoding'))
    .replace(/\r\n/g, '\n')
    .replace(/\n$/, '');
  if (type.startsWith('text/plain') && out.text === undefined) out.text = decoded;
  else if (type.startsWith('text/html') && out.html === undefined) out.html = decoded;
}

/** `"Ops" <ops@example.com>, b@example.com` → the addresses. */
export const addressesOf = (value: string | undefined): string[] => value?.match(/[^\s<>,;"]+@[^\s<>,;"]+/g) ?? [];
const ids = (value: string | undefined): string[] => value?.match(/<[^<>\s]+>/g) ?? [];

export function parseMessage(raw: string): ParsedMessage {
  const top = splitPart(raw);
  const out: { text?: string; html?: string } = {};
  bodies(top, out);
  return {
    headers: top.headers,
    from: first(top, 'from'),
    to: (top.headers.to ?? []).flatMap(addressesOf),
    cc: (top.headers.cc ?? []).flatMap(addressesOf),
    subject: first(top, 'subject'),
    messageId: ids(first(top, 'message-id'))[0],
    inReplyTo: ids(first(top, 'in-reply-to'))[0],
    references: ids(first(top, 'references')),
    ...out,
  };
}
