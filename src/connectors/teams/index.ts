export { adaptiveCard, teamsEnvelope, type AdaptiveCard, type TeamsEnvelope } from './card.ts';
export { escapeTeamsMarkdown } from './escape-markdown.ts';
export { createTeamsChat, createTeamsClient, TEAMS_MESSAGE_MAX_BYTES, type TeamsClient } from './outbound.ts';
export { TeamsOutboundConfig } from './schema.ts';
