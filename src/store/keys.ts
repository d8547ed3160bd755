/**
 * Every key mim-bridge writes lives under one prefix that is a Redis Cluster hash tag (`{mim}`),
 * so multi-key scripts and BullMQ's own keys land in one slot. Tests pass a unique prefix each.
 */
export const QUEUE_EVENTS = 'events';

export interface Keys {
  readonly prefix: string;
  dedup(source: string, deliveryId: string): string;
  snapshot(incidentKey: string): string;
  readonly consumedAt: string;
}

export function keys(prefix: string): Keys {
  return {
    prefix,
    dedup: (source, deliveryId) => `${prefix}:dedup:${source}:${deliveryId}`,
    snapshot: (incidentKey) => `${prefix}:snapshot:${incidentKey}`,
    consumedAt: `${prefix}:health:events-consumed-at`,
  };
}
