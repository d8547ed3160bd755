/**
 * Plain text → Atlassian Document Format, which every REST v3 rich-text write requires (webhooks
 * deliver text as v2 strings). Blank lines separate paragraphs, single newlines become hard
 * breaks, and bare http(s) URLs get a link mark. Pure.
 * https://developer.atlassian.com/cloud/jira/platform/apis/document/structure/
 */

export type AdfMark = {
  readonly type: 'link';
  readonly attrs: { readonly href: string };
};
export type AdfInline =
  | { readonly type: 'text'; readonly text: string; readonly marks?: AdfMark[] }
  | { readonly type: 'hardBreak' };
export type AdfParagraph = {
  readonly type: 'paragraph';
  readonly content: AdfInline[];
};
/** Arrays are mutable only because jira.js types the body that way. */
export type AdfDoc = {
  readonly type: 'doc';
  readonly version: 1;
  readonly content: AdfParagraph[];
};

const URL_PATTERN = /https?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]]/g;

function textWithLinks(line: string): AdfInline[] {
  const nodes: AdfInline[] = [];
  let last = 0;
  for (const match of line.matchAll(URL_PATTERN)) {
    const start = match.index;
    if (start > last) nodes.push({ type: 'text', text: line.slice(last, start) });
    nodes.push({ type: 'text', text: match[0], marks: [{ type: 'link', attrs: { href: match[0] } }] });
    last = start + match[0].length;
  }
  if (last < line.length) nodes.push({ type: 'text', text: line.slice(last) });
  return nodes;
}

export function adfParagraph(text: string): AdfParagraph {
  // ADF rejects empty text nodes, so empty lines contribute only their hard break.
  const content = text
    .split('\n')
    .flatMap((line, i): AdfInline[] => [...(i > 0 ? [{ type: 'hardBreak' } as const] : []), ...textWithLinks(line)]);
  return { type: 'paragraph', content };
}

export function adfFromText(text: string): AdfDoc {
  const paragraphs = text
    .replace(/\r\n?/g, '\n')
    .split(/\n(?:[ \t]*\n)+/)
    .map((p) => p.replace(/^(?:[ \t]*\n)+|(?:\n[ \t]*)+$/g, ''))
    .filter((p) => p.trim() !== '');
  return { type: 'doc', version: 1, content: paragraphs.map(adfParagraph) };
}
