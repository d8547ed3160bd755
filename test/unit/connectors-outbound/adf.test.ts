import { describe, expect, it } from 'vitest';
import { adfFromText } from '../../../src/connectors/jira/adf.ts';

const text = (t: string) => ({ type: 'text', text: t });

describe('adfFromText', () => {
  it('blank lines separate paragraphs; single newlines become hard breaks', () => {
    expect(adfFromText('First line\nsecond line\r\n\r\n  \nNext paragraph')).toEqual({
      type: 'doc',
      version: 1,
      content: [
        { type: 'paragraph', content: [text('First line'), { type: 'hardBreak' }, text('second line')] },
        { type: 'paragraph', content: [text('Next paragraph')] },
      ],
    });
  });

  it('marks bare URLs as links, leaving trailing punctuation outside', () => {
    expect(adfFromText('See https://status.example/x?a=1. Thanks').content[0]?.content).toEqual([
      text('See '),
      {
        type: 'text',
        text: 'https://status.example/x?a=1',
        marks: [{ type: 'link', attrs: { href: 'https://status.example/x?a=1' } }],
      },
      text('. Thanks'),
    ]);
  });

  it('empty text is an empty document (ADF rejects empty text nodes)', () => {
    expect(adfFromText('')).toEqual({ type: 'doc', version: 1, content: [] });
    expect(adfFromText('\n\n \n')).toEqual({ type: 'doc', version: 1, content: [] });
  });
});
