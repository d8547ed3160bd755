import type { InboundSource } from '../inbound-source.ts';
import { normalizePagerduty, verifyPagerduty } from './inbound.ts';

export {
  DELIVERY_HEADER as PAGERDUTY_DELIVERY_HEADER,
  SIGNATURE_HEADER as PAGERDUTY_SIGNATURE_HEADER,
} from './inbound.ts';
export { PdIncidentWebhook } from './schema.ts';

export const pagerdutyInbound: InboundSource = {
  source: 'pagerduty',
  verify: verifyPagerduty,
  normalize: normalizePagerduty,
};
