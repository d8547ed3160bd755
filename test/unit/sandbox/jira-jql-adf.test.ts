import { describe, expect, it } from 'vitest';
import { adfFromText } from '../../../src/connectors/jira/adf.ts';
import { adfToText, isAdfDoc } from '../../../sandbox/jira/adf.ts';
import { parseJql } from '../../../sandbox/jira/jql.ts';

describe('jira JQL subset', () => {
  it('parses what mim-bridge searches with, escapes included', () => {
    expect(parseJql('labels = "mim-MI-2025-0042" ORDER BY created ASC')).toEqual({
      ok: true,
      jql: { clauses: [{ field: 'labels', value: 'mim-MI-2025-0042' }], order: [{ field: 'created', desc: false }] },
    });
    expect(parseJql('project = OPS AND labels = "a\\"b" order by created desc, key')).toEqual({
      ok: true,
      jql: {
        clauses: [
          { field: 'project', value: 'OPS' },
          { field: 'labels', value: 'a"b' },
        ],
        order: [
          { field: 'created', desc: true },
          { field: 'key', desc: false },
        ],
      },
    });
  });

  it.each([
    'labels = a OR labels = b',
    'labels in (a, b)',
    'summary = x',
    'labels != a',
    'labels =',
    'labels = a ORDER created',
    'labels = a ORDER BY priority',
  ])('rejects %s', (jql) => {
    const parsed = parseJql(jql);
    expect(parsed.ok).toBe(false);
  });
});

describe('jira ADF checks', () => {
  it('accepts what mim-bridge writes and turns it back into its text', () => {
    const text = 'First paragraph\nwith a break https://example.com/x\n\nSecond';
    const doc = adfFromText(text);
    expect(isAdfDoc(doc)).toBe(true);
    expect(adfToText(doc)).toBe(text);
  });

  it.each([
    ['a plain string', 'text'],
    ['version 2', { type: 'doc', version: 2, content: [] }],
    [
      'an empty text node',
      { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: '' }] }] },
    ],
    ['an unknown node', { type: 'doc', version: 1, content: [{ type: 'marquee' }] }],
    ['content not an array', { type: 'doc', version: 1, content: { type: 'paragraph' } }],
  ])('rejects %s', (_what, value) => {
    expect(isAdfDoc(value)).toBe(false);
  });
});
