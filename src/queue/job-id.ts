import { createHash } from 'node:crypto';

const SAFE = /^[A-Za-z0-9_.@-]{1,120}$/;

/**
 * BullMQ job ids must not contain `:` (it separates key parts), and very long ids bloat every
 * key. Readable ids are kept as they are; anything else is replaced by a digest, which is still
 * deterministic, so a redelivery maps to the same job.
 */
export function eventJobId(source: string, deliveryId: string): string {
  const raw = `${source}.${deliveryId}`;
  return SAFE.test(raw) ? raw : `${source}.h${createHash('sha256').update(deliveryId).digest('hex').slice(0, 40)}`;
}
