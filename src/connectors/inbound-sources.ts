import type { Source } from '../domain/incident-event.ts';
import type { InboundSource } from './inbound-source.ts';
import { JIRA_DELIVERY_HEADER, jiraInbound } from './jira/index.ts';
import { PAGERDUTY_DELIVERY_HEADER, pagerdutyInbound } from './pagerduty/index.ts';
import { servicenowInbound } from './servicenow/index.ts';

/** Every webhook source by name; `Record<Source, …>` makes a source without a connector a compile error. */
export const inboundSources: Readonly<Record<Source, InboundSource>> = Object.freeze({
  servicenow: servicenowInbound,
  jira: { ...jiraInbound, deliveryHeader: JIRA_DELIVERY_HEADER },
  pagerduty: { ...pagerdutyInbound, deliveryHeader: PAGERDUTY_DELIVERY_HEADER },
});
