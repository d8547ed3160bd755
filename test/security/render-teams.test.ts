import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { adaptiveCard } from '../../src/connectors/teams/card.ts';
import { escapeTeamsMarkdown } from '../../src/connectors/teams/escape-markdown.ts';
import { createTeamsChat, createTeamsClient } from '../../src/connectors/teams/outbound.ts';
import {
  compileTemplates,
  loadTemplates,
  renderTemplate,
  REQUIRED_TEMPLATES,
  type TemplateSource,
} from '../../src/templates/index.ts';
import { deps, META, useNock } from '../integration/connectors/helpers.ts';

/**
 * Adaptive Card TextBlocks and FactSets render Markdown: a ServiceNow title
 * `[Reset your password](https://evil…)` became a live link in the all-staff card. Ticket text
 * must show as typed in every text field a card carries.
 */

const PHISH = '[Reset your password](https://evil.example/reset)';
const HOSTILE = `${PHISH} **urgent** _now_ ~~x~~ \`code\` <https://evil.example>`;
const ESCAPED =
  '\\[Reset your password\\]\\(https://evil.example/reset\\) \\*\\*urgent\\*\\* \\_now\\_ \\~\\~x\\~\\~ ' +
  '\\`code\\` \\<https://evil.example\\>';
/** `](` is what makes a Markdown link; escaped text never contains it. */
const hasLink = (text: string) => /\]\(/.test(text);

const required = (overrides: Record<string, string>): TemplateSource[] =>
  REQUIRED_TEMPLATES.map(([register, name]) => ({
    register,
    name,
    file: `${register}/${name}.liquid`,
    source: overrides[`${register}/${name}`] ?? '{{ mi.title }}',
  }));

describe('Teams Markdown escaping', () => {
  it('backslash-escapes links, emphasis, code and autolinks', () => {
    expect(escapeTeamsMarkdown(HOSTILE)).toBe(ESCAPED);
  });

  it('escapes list and heading markers at the start of a line only', () => {
    expect(escapeTeamsMarkdown('- one\n  + two\n3. three\n4) four\n# head\na - b 5. c')).toBe(
      '\\- one\n  \\+ two\n3\\. three\n4\\) four\n\\# head\na - b 5. c',
    );
  });

  it('is idempotent, and a trailing backslash cannot escape what follows it', () => {
    expect(escapeTeamsMarkdown(ESCAPED)).toBe(ESCAPED);
    expect(escapeTeamsMarkdown(escapeTeamsMarkdown('- x\n1. y'))).toBe('\\- x\n1\\. y');
    expect(escapeTeamsMarkdown('title\\')).toBe('title\\\\');
    expect(escapeTeamsMarkdown('\\[a](b)')).toBe('\\[a\\]\\(b\\)');
  });
});

describe('templates rendered for Teams', () => {
  const VARS = {
    mi: { id: 'MI-1', title: PHISH, manager: `Ann ${PHISH}`, priority: 1 },
    update: { text: `- item\n\n${PHISH}`, author: 'x', at: '' },
  };

  it('no value a shipped template prints can make a link', async () => {
    const set = await loadTemplates('config/templates');
    for (const [register, name] of REQUIRED_TEMPLATES)
      expect(hasLink(renderTemplate(set, name, register, VARS, 'teams'))).toBe(false);
  });

  it('a deliberate Markdown link in the template stays a link', () => {
    const set = compileTemplates(
      required({
        'business/update': '**Update** on {{ mi.title }}: see [the status page](https://status.example.edu)',
      }),
    );
    expect(renderTemplate(set, 'update', 'business', VARS, 'teams')).toBe(
      '**Update** on \\[Reset your password\\]\\(https://evil.example/reset\\): see [the status ' +
        'page](https://status.example.edu)',
    );
  });
});

describe('the Adaptive Card', () => {
  const HOST = 'https://prod-00.westeurope.logic.azure.test';
  const PATH = '/workflows/all-staff/triggers/manual/paths/invoke';
  useNock();

  it('escapes the title and both sides of each fact; the body is sent as rendered', async () => {
    const message = {
      title: `Major incident: ${PHISH} (P1)`,
      text: 'Rendered \\[body\\]',
      facts: [{ title: PHISH, value: HOSTILE }],
    };
    const card = {
      type: 'AdaptiveCard',
      $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
      version: '1.4',
      body: [
        {
          type: 'TextBlock',
          text: 'Major incident: \\[Reset your password\\]\\(https://evil.example/reset\\) \\(P1\\)',
          weight: 'Bolder',
          size: 'Medium',
          wrap: true,
        },
        { type: 'TextBlock', text: 'Rendered \\[body\\]', wrap: true },
        {
          type: 'FactSet',
          facts: [{ title: '\\[Reset your password\\]\\(https://evil.example/reset\\)', value: ESCAPED }],
        },
      ],
    };
    expect(adaptiveCard(message)).toEqual(card);
    const scope = nock(HOST)
      .post(PATH, {
        type: 'message',
        attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }],
      })
      .reply(202);
    const chat = createTeamsChat(
      createTeamsClient({ webhooks: { 'all-staff': `${HOST}${PATH}` }, timeoutMs: 500 }, deps()),
    );
    await chat.publishStatus('all-staff', message, META);
    expect(scope.isDone()).toBe(true);
  });
});
