import { describe, expect, it } from 'vitest';
import { BLOCKS_MAX, escapeMrkdwn, slackBlocks, slackFallbackText } from '../../../src/connectors/slack/blocks.ts';
import { SLACK_ERROR_RETRYABLE, classifySlackError, slackErrorCode } from '../../../src/connectors/slack/errors.ts';

describe('slack blocks (pure)', () => {
  it('escapes mrkdwn control characters', () => {
    expect(escapeMrkdwn('a < b & c > d')).toBe('a &lt; b &amp; c &gt; d');
    expect(slackFallbackText({ title: '<!channel>', text: 'x' })).toBe('&lt;!channel&gt;\nx');
  });

  it('builds header, facts, text and links', () => {
    expect(
      slackBlocks({
        title: 'P1 Email down',
        text: 'Failover',
        facts: [{ title: 'Priority', value: 'P1' }],
        links: [{ title: 'Jira | OPS-42', url: 'https://jira.example/browse/OPS-42' }],
      }),
    ).toEqual([
      { type: 'header', text: { type: 'plain_text', text: 'P1 Email down' } },
      { type: 'section', fields: [{ type: 'mrkdwn', text: '*Priority*\nP1', verbatim: true }] },
      { type: 'section', text: { type: 'mrkdwn', text: 'Failover', verbatim: true } },
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: '<https://jira.example/browse/OPS-42|Jira ¦ OPS-42>', verbatim: true }],
      },
    ]);
  });

  it('keeps within Block Kit limits: header 150, sections 3000, at most 50 blocks, links kept', () => {
    const blocks = slackBlocks({
      title: 'T'.repeat(200),
      text: 'x'.repeat(3000 * 60),
      links: [{ title: 'l', url: 'https://x.example' }],
    });
    expect(blocks).toHaveLength(BLOCKS_MAX);
    expect((blocks[0] as { text: { text: string } }).text.text).toHaveLength(150);
    expect((blocks[1] as { text: { text: string } }).text.text).toHaveLength(3000);
    expect(blocks.at(-1)).toMatchObject({ type: 'context' });
  });
});

describe('slack ok:false errors', () => {
  it('every known error maps to SLACK_<ERROR> with its retry decision', () => {
    for (const [error, retryable] of Object.entries(SLACK_ERROR_RETRYABLE)) {
      expect(classifySlackError(error, 1_000)).toMatchObject({
        code: `SLACK_${error.toUpperCase()}`,
        vendor: 'slack',
        retryable,
        retryAfterMs: retryable ? 1_000 : undefined,
      });
    }
  });

  it('unknown and odd strings are permanent and sanitised', () => {
    expect(classifySlackError('brand_new', undefined)).toMatchObject({ code: 'SLACK_BRAND_NEW', retryable: false });
    expect(classifySlackError(undefined, undefined)).toMatchObject({ code: 'SLACK_UNKNOWN', retryable: false });
    expect(slackErrorCode('we!rd ch@rs')).toBe('SLACK_WERDCHRS');
    expect(slackErrorCode('constructor')).toBe('SLACK_CONSTRUCTOR');
    expect(classifySlackError('constructor', undefined).retryable).toBe(false);
  });
});
