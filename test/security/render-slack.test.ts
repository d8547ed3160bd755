import { describe, expect, it } from 'vitest';
import { escapeMrkdwn, slackBlocks, slackFallbackText } from '../../src/connectors/slack/blocks.ts';
import {
  compileTemplates,
  loadTemplates,
  renderTemplate,
  REQUIRED_TEMPLATES,
  type TemplateSource,
} from '../../src/templates/index.ts';

/**
 * Anyone who can type a ServiceNow or Jira title or comment writes text that lands in Slack
 * mrkdwn. It must show as typed: no link, no mention, no special mention such as <!channel>.
 * https://docs.slack.dev/messaging/formatting-message-text#escaping
 */

const HOSTILE = '<!channel> <@U024BE7LH> <https://evil.example/reset|Reset your password> @here & @everyone';
const SHOWN_AS_TYPED =
  '&lt;!channel&gt; &lt;@U024BE7LH&gt; &lt;https://evil.example/reset|Reset your password&gt; @\u2060here &amp; ' +
  '@\u2060everyone';
/** A control sequence in mrkdwn starts with `<`; none may come from hostile text. */
const controlSequences = (text: string) => text.match(/<[^>]*>/g) ?? [];

const required = (overrides: Record<string, string>): TemplateSource[] =>
  REQUIRED_TEMPLATES.map(([register, name]) => ({
    register,
    name,
    file: `${register}/${name}.liquid`,
    source: overrides[`${register}/${name}`] ?? '{{ mi.title }}',
  }));

describe('Slack mrkdwn escaping', () => {
  it('escapes &, < and >, and breaks @channel, @here and @everyone', () => {
    expect(escapeMrkdwn(HOSTILE)).toBe(SHOWN_AS_TYPED);
  });

  it('is idempotent: text escaped twice shows the same', () => {
    expect(escapeMrkdwn(escapeMrkdwn(HOSTILE))).toBe(SHOWN_AS_TYPED);
  });
});

describe('templates rendered for Slack', () => {
  const VARS = {
    mi: { id: 'MI-1', title: HOSTILE, manager: 'Ann <@U1> & co', priority: 1, state: 'declared' },
    update: { text: HOSTILE, author: '<!here>', at: '' },
  };

  it('every value a shipped template prints is escaped; the template text itself is not', async () => {
    const set = await loadTemplates('config/templates');
    for (const [register, name] of REQUIRED_TEMPLATES) {
      const text = renderTemplate(set, name, register, VARS, 'slack');
      expect(controlSequences(text)).toEqual([]);
      expect(text).not.toMatch(/@(channel|here|everyone)/);
    }
    // The technical declared template captures the roles and prints the capture: escaped once, not twice.
    expect(renderTemplate(set, 'declared', 'technical', VARS, 'slack')).toContain(
      'Major Incident Manager: Ann &lt;@U1&gt; &amp; co',
    );
  });

  it('a deliberate link in the template stays a link; the values inside and around it are escaped', () => {
    const set = compileTemplates(
      required({
        'business/update':
          'See <https://status.example.edu|the status page> about {{ mi.title }}. {% echo update.text %}',
      }),
    );
    expect(renderTemplate(set, 'update', 'business', VARS, 'slack')).toBe(
      `See <https://status.example.edu|the status page> about ${SHOWN_AS_TYPED}. ${SHOWN_AS_TYPED}`,
    );
  });

  it('filters, assign and capture do not get around it', () => {
    const set = compileTemplates(
      required({
        'business/update':
          '{% assign t = mi.title | append: "<!here>" %}{{ t }}|{% capture c %}<{{ mi.title }}>{% endcapture ' +
          '%}{{ c | upcase }}|{{ update.text | truncate: 20 }}',
      }),
    );
    const text = renderTemplate(set, 'update', 'business', VARS, 'slack');
    expect(controlSequences(text)).toEqual([]);
    expect(text).not.toMatch(/@(channel|here|everyone)/i);
  });

  it('the plain-text target leaves values alone (email, Jira, ServiceNow)', () => {
    const set = compileTemplates(required({}));
    expect(renderTemplate(set, 'update', 'business', VARS, 'text')).toBe(HOSTILE);
  });
});

describe('Slack blocks', () => {
  const message = {
    title: HOSTILE,
    text: 'body',
    facts: [{ title: '<!here>', value: HOSTILE }],
    links: [{ title: 'Status | <!channel>', url: 'https://status.example.edu/?a=1&b=<2>|x' }],
  };

  it(
    'escapes the title in the fallback text, facts and link labels; no mrkdwn object parses ' +
      'mentions automatically',
    () => {
      expect(slackFallbackText(message)).toBe(`${SHOWN_AS_TYPED}\nbody`);
      const blocks = slackBlocks(message);
      expect(blocks).toEqual([
        { type: 'header', text: { type: 'plain_text', text: expect.any(String) } },
        { type: 'section', fields: [{ type: 'mrkdwn', text: `*&lt;!here&gt;*\n${SHOWN_AS_TYPED}`, verbatim: true }] },
        { type: 'section', text: { type: 'mrkdwn', text: 'body', verbatim: true } },
        {
          type: 'context',
          elements: [
            {
              type: 'mrkdwn',
              text: '<https://status.example.edu/?a=1&amp;b=&lt;2&gt;%7Cx|Status ¦ &lt;!channel&gt;>',
              verbatim: true,
            },
          ],
        },
      ]);
    },
  );
});
