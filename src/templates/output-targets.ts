import type { ChatVendor } from '../connectors/capabilities.ts';
import { escapeMrkdwn } from '../connectors/slack/blocks.ts';
import { escapeTeamsMarkdown } from '../connectors/teams/escape-markdown.ts';
import type { OutputEscape } from './create-liquid.ts';

/**
 * Where a rendered template lands, and how every value a template prints is escaped for it.
 * Values come from tickets, and anyone who can type a ticket title or comment writes them; the
 * template's own text is the admin's, and stays markup (a deliberate `<url|label>` in a Slack
 * template, `[label](url)` in a Teams one). So a template author cannot forget to escape, each
 * template is compiled once per target with liquidjs's `outputEscape`, the renderer's own escape.
 * https://liquidjs.com/tutorials/escaping.html
 *
 * `text`: plain text that no one interprets as markup (email text, Jira's ADF text nodes,
 * ServiceNow fields). ServiceNow journals neutralise `[code]` at the client instead, for every
 * text they receive (connectors/servicenow/outbound-journal.ts).
 */
export type OutputTarget = 'text' | ChatVendor;

export const OUTPUT_ESCAPES = {
  text: undefined,
  slack: escapeMrkdwn,
  teams: escapeTeamsMarkdown,
} as const satisfies Record<OutputTarget, OutputEscape | undefined>;

export const OUTPUT_TARGETS = Object.keys(OUTPUT_ESCAPES) as readonly OutputTarget[];
