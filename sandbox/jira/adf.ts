/**
 * Atlassian Document Format checks (what REST v3 accepts in rich-text fields) and ADF → plain
 * text, which webhooks (v2 representation) carry. Node types from the ADF structure reference;
 * the check is structural (known node types, `content` arrays, non-empty text), not the full schema.
 * https://developer.atlassian.com/cloud/jira/platform/apis/document/structure/
 */

export type AdfNode = {
  type: string;
  text?: string;
  content?: AdfNode[];
  attrs?: Record<string, unknown>;
  marks?: { type: string }[];
};
export type AdfDoc = { type: 'doc'; version: 1; content: AdfNode[] };

const NODE_TYPES: ReadonlySet<string> = new Set([
  'blockquote',
  'bulletList',
  'codeBlock',
  'expand',
  'heading',
  'mediaGroup',
  'mediaSingle',
  'orderedList',
  'panel',
  'paragraph',
  'rule',
  'table',
  'multiBodiedExtension',
  'nestedExpand',
  'listItem',
  'media',
  'mediaInline',
  'tableCell',
  'tableHeader',
  'tableRow',
  'taskList',
  'taskItem',
  'decisionList',
  'decisionItem',
  'blockCard',
  'embedCard',
  'layoutSection',
  'layoutColumn',
  'extension',
  'bodiedExtension',
  'inlineExtension',
  'date',
  'emoji',
  'hardBreak',
  'inlineCard',
  'mention',
  'status',
  'text',
  'placeholder',
]);
const BLOCKS: ReadonlySet<string> = new Set([
  'paragraph',
  'heading',
  'blockquote',
  'codeBlock',
  'panel',
  'listItem',
  'tableRow',
  'bulletList',
  'orderedList',
  'table',
]);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function validNode(node: unknown, depth: number): boolean {
  if (!isObject(node) || typeof node.type !== 'string' || !NODE_TYPES.has(node.type) || depth > 64) return false;
  if (node.type === 'text' && (typeof node.text !== 'string' || node.text === '')) return false;
  if (
    node.marks !== undefined &&
    !(Array.isArray(node.marks) && node.marks.every((m) => isObject(m) && typeof m.type === 'string'))
  )
    return false;
  if (node.content === undefined) return true;
  return Array.isArray(node.content) && node.content.every((c) => validNode(c, depth + 1));
}

export function isAdfDoc(value: unknown): value is AdfDoc {
  return (
    isObject(value) &&
    value.type === 'doc' &&
    value.version === 1 &&
    Array.isArray(value.content) &&
    value.content.every((c) => validNode(c, 1))
  );
}

function textOf(node: AdfNode): string {
  if (node.type === 'text') return node.text ?? '';
  if (node.type === 'hardBreak') return '\n';
  if (node.type === 'mention') return String(node.attrs?.text ?? '');
  const inner = node.content ?? [];
  return BLOCKS.has(node.type) && inner.some((c) => BLOCKS.has(c.type))
    ? inner.map(textOf).join('\n\n')
    : inner.map(textOf).join('');
}

/**
 * Paragraphs separated by a blank line, hard breaks as newlines: the inverse of mim-bridge's adfFromText for what it
 * writes.
 */
export function adfToText(doc: AdfDoc): string {
  return doc.content.map(textOf).join('\n\n');
}

export function adfFromPlain(text: string): AdfDoc {
  const paragraphs = text.split(/\n\s*\n/).filter((p) => p.trim());
  return {
    type: 'doc',
    version: 1,
    content: paragraphs.map((p) => ({
      type: 'paragraph',
      content: p
        .split('\n')
        .flatMap((line, i) => [...(i ? [{ type: 'hardBreak' }] : []), ...(line ? [{ type: 'text', text: line }] : [])]),
    })),
  };
}
