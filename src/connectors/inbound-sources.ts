import type { Source } from '../domain/incident-event.ts';
import type { InboundSource } from './inbound-source.ts';
import { jiraInbound } from './jira/index.ts';
import { pagerdutyInbound } from './pagerduty/index.ts';
import { servicenowInbound } from './servicenow/index.ts';

/** Every webhook source by name; `Record<Source, …>` makes a source without a connector a compile error. */
export const inboundSources: Readonly<Record<Source, InboundSource>> = Object.freeze({
  servicenow: servicenowInbound,
  jira: jiraInbound,
  pagerduty: pagerdutyInbound,
});
