export { createSlackChat, createSlackClient, type SlackClient, type SlackPost, type SlackUpdate } from './outbound.ts';
export { escapeMrkdwn, slackBlocks, slackFallbackText } from './blocks.ts';
export { classifySlackError, SLACK_ERROR_RETRYABLE } from './errors.ts';
export { SlackOutboundConfig } from './schema.ts';
