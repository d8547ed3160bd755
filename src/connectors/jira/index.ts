import type { RecordReader } from '../capabilities.ts';
import type { InboundSource } from '../inbound-source.ts';
import { normalizeJira, verifyJira } from './inbound.ts';
import type { JiraClient } from './outbound-types.ts';
import { jiraIssueToEvent } from './reconcile-event.ts';

export { DELIVERY_HEADER as JIRA_DELIVERY_HEADER, SIGNATURE_HEADER as JIRA_SIGNATURE_HEADER } from './inbound.ts';
export { JiraWebhook } from './schema.ts';

export const jiraInbound: InboundSource = {
  source: 'jira',
  verify: verifyJira,
  normalize: normalizeJira,
};

/** The reconciliation's read-back of one issue, as the event its webhook would have sent. */
export function jiraReader(client: Pick<JiraClient, 'getIssueForReconcile'>): RecordReader {
  return {
    readRecord: async (key, meta, receivedAt) =>
      jiraIssueToEvent(await client.getIssueForReconcile(key, meta), receivedAt),
  };
}
