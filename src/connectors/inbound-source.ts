import type { IncidentEvent, Source } from '../domain/incident-event.ts';

/** What the HTTP layer hands a connector: the raw bytes (verified before any parsing) and lower-cased headers. */
export interface InboundRequest {
  readonly rawBody: Buffer;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly receivedAt: Date;
}

export interface PayloadIssue {
  /** The zod path of the offending field, dotted: `record.sys_updated_on`, `event.data.id`. */
  readonly path: string;
  readonly message: string;
}

export type NormalizeResult =
  /** `timePath`: the payload field the event's `updatedAt` came from (`record.sys_updated_on`, `timestamp`). */
  | { readonly kind: 'event'; readonly event: IncidentEvent; readonly timePath?: string }
  /** Well-formed but not something we act on (an event type we do not handle, a ping): answered 200, not queued. */
  | { readonly kind: 'ignored'; readonly deliveryId: string; readonly reason: string }
  | { readonly kind: 'invalid'; readonly issues: readonly PayloadIssue[] };

/**
 * One inbound webhook source. Both functions are pure but for crypto, so they are unit-tested on
 * real payloads without HTTP or Redis.
 */
export interface InboundSource {
  readonly source: Source;
  /** Verifies the sender's signature over the raw bytes with any of the (rotating) secrets. */
  verify(req: InboundRequest, secrets: readonly string[]): boolean;
  /** Validates the parsed JSON with the vendor's zod schema and maps it to an IncidentEvent. */
  normalize(body: unknown, req: InboundRequest): NormalizeResult;
  /**
   * The sender's own delivery-id header, if it sends one. Logged only: it is not signed, so the
   * duplicate key derives from the signed body instead (a replay with a new header is a duplicate).
   */
  readonly deliveryHeader?: string;
}
