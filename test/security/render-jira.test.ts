import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { adfFromText } from '../../src/connectors/jira/adf.ts';
import { createJiraClient } from '../../src/connectors/jira/outbound.ts';
import { deps, META, useNock } from '../integration/connectors/helpers.ts';

/**
 * Text typed into ServiceNow lands in Jira: comments through comment sync, the title in the
 * summary and description. ADF text nodes are literal, so wiki markup and Markdown must stay
 * text; the only link mark is on a bare http(s) URL, whose visible text is its own target. A
 * summary must be one line: Jira refuses one with a line break, and the issue would never exist.
 */

const BASE = 'http://jira.test';
const HOSTILE =
  '[Reset your password|https://evil.example] [x](https://evil.example) {html}<script>alert(1)</script>{html} ' +
  'javascript:alert(1)';

describe('ADF from hostile text', () => {
  it('wiki markup, Markdown and HTML stay text; a link mark only ever points where its visible text says', () => {
    const nodes = adfFromText(HOSTILE).content.flatMap((p) => p.content);
    expect(nodes.map((n) => (n.type === 'text' ? n.text : '\n')).join('')).toBe(HOSTILE);
    const linked = nodes.filter((n) => n.type === 'text' && n.marks);
    expect(linked.map((n) => n.type === 'text' && [n.text, n.marks?.[0]?.attrs.href])).toEqual([
      ['https://evil.example', 'https://evil.example'],
      ['https://evil.example', 'https://evil.example'],
    ]);
  });

  it('a bare URL is linked to exactly the text shown, nothing else', () => {
    const doc = adfFromText('see https://evil.example/a?b=1).');
    expect(doc.content[0]?.content).toEqual([
      { type: 'text', text: 'see ' },
      {
        type: 'text',
        text: 'https://evil.example/a?b=1',
        marks: [{ type: 'link', attrs: { href: 'https://evil.example/a?b=1' } }],
      },
      { type: 'text', text: ').' },
    ]);
  });
});

describe('the Jira summary', () => {
  useNock();

  it('a title with line breaks and control characters goes out as one line', async () => {
    let sent: { fields: { summary: string } } | undefined;
    const scope = nock(BASE)
      .post('/rest/api/3/search/jql')
      .reply(200, { issues: [] })
      .post('/rest/api/3/issue', (b) => {
        sent = b;
        return true;
      })
      .reply(201, { id: '10042', key: 'OPS-42', self: 'x' });
    const client = createJiraClient({ baseUrl: BASE, email: 'mim@example.edu', apiToken: 't', timeoutMs: 500 }, deps());
    await client.createIssue(
      {
        project: 'OPS',
        issueType: 'Task',
        summary: '[MI-1] Payroll down\r\nAssignee: attacker\u2028x\u0000y',
        description: 'd',
        marker: 'mim-MI-1',
      },
      META,
    );
    expect(scope.isDone()).toBe(true);
    expect(sent?.fields.summary).toBe('[MI-1] Payroll down Assignee: attacker x y');
  });
});
