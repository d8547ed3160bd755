import type { InboundSource } from '../inbound-source.ts';
import { normalizeJira, verifyJira } from './inbound.ts';

export { DELIVERY_HEADER as JIRA_DELIVERY_HEADER, SIGNATURE_HEADER as JIRA_SIGNATURE_HEADER } from './inbound.ts';
export { JiraWebhook } from './schema.ts';

export const jiraInbound: InboundSource = {
  source: 'jira',
  verify: verifyJira,
  normalize: normalizeJira,
};
