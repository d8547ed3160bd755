import type { ChatMessage } from '../capabilities.ts';
import { escapeTeamsMarkdown } from './escape-markdown.ts';

/**
 * Pure Adaptive Card 1.4 builder and the message envelope incoming webhooks and Workflows take.
 * Workflows accept Adaptive Cards only, not the legacy MessageCard; 1.4 is the highest version Teams renders
 * everywhere, mobile included.
 * https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/connectors-using#send-adaptive-cards-using-an-incoming-webhook
 * https://adaptivecards.io/explorer/
 */
export const ADAPTIVE_CARD_VERSION = '1.4';
export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

export type AdaptiveElement = Record<string, unknown>;

export interface AdaptiveCard {
  readonly type: 'AdaptiveCard';
  readonly $schema: string;
  readonly version: string;
  readonly body: readonly AdaptiveElement[];
  readonly actions?: readonly AdaptiveElement[];
}

export interface TeamsEnvelope {
  readonly type: 'message';
  readonly attachments: readonly [
    { readonly contentType: typeof ADAPTIVE_CARD_CONTENT_TYPE; readonly content: AdaptiveCard },
  ];
}

/**
 * TextBlock, Fact.Title and Fact.Value render Markdown, so the title and facts (ticket text) are
 * escaped here; the body is Markdown already, rendered from a template whose values were escaped
 * (templates/output-targets.ts). Action titles are plain text in every host.
 */
export function adaptiveCard(message: ChatMessage): AdaptiveCard {
  const paragraphs = message.text
    .split(/\n[ \t]*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
  const body: AdaptiveElement[] = [
    { type: 'TextBlock', text: escapeTeamsMarkdown(message.title), weight: 'Bolder', size: 'Medium', wrap: true },
    ...paragraphs.map((text) => ({ type: 'TextBlock', text, wrap: true })),
  ];
  if (message.facts?.length)
    body.push({
      type: 'FactSet',
      facts: message.facts.map((f) => ({ title: escapeTeamsMarkdown(f.title), value: escapeTeamsMarkdown(f.value) })),
    });
  const actions = (message.links ?? []).map((l) => ({ type: 'Action.OpenUrl', title: l.title, url: l.url }));
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: ADAPTIVE_CARD_VERSION,
    body,
    ...(actions.length ? { actions } : {}),
  };
}

export function teamsEnvelope(card: AdaptiveCard): TeamsEnvelope {
  return { type: 'message', attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: card }] };
}
