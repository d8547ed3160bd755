import type { InboundSource } from '../inbound-source.ts';
import { normalizeServicenow, verifyServicenow } from './inbound.ts';

export { SIGNATURE_HEADER as SERVICENOW_SIGNATURE_HEADER } from './inbound.ts';
export { SnIncidentRecord, SnWrappedDelivery } from './schema.ts';

export const servicenowInbound: InboundSource = {
  source: 'servicenow',
  verify: verifyServicenow,
  normalize: normalizeServicenow,
};
