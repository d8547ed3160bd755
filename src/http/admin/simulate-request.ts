import type { z } from 'zod';
import { inboundSources } from '../../connectors/inbound-sources.ts';
import type { IncidentEvent, Source } from '../../domain/incident-event.ts';
import type { WindowCounts } from '../../rules/evaluate.ts';
import { badRequest, invalid, SimulateEventBody, SimulatePayloadBody } from './schemas.ts';

export type SimulateInput =
  | {
      readonly ok: true;
      readonly event: IncidentEvent;
      readonly normalizedFrom?: Source;
      readonly window: Record<string, WindowCounts>;
    }
  | { readonly ok: false; readonly status: 400 | 422; readonly body: unknown };

type RawWindow = z.infer<typeof SimulateEventBody>['window'];

function windowCounts(raw: RawWindow, known: readonly string[]): SimulateInput | Record<string, WindowCounts> {
  const unknown = Object.keys(raw).filter((id) => !known.includes(id));
  if (unknown.length) {
    const message = `no such window in rules.yaml (windows: ${known.join(', ') || 'none'})`;
    return { ok: false, status: 400, body: invalid(unknown.map((id) => ({ path: `window.${id}`, message }))) };
  }
  return Object.fromEntries(
    Object.entries(raw).map(([id, v]) => [
      id,
      typeof v === 'number'
        ? { count: v, distinctCallers: v }
        : { count: v.count, distinctCallers: v.distinctCallers ?? v.count },
    ]),
  );
}

const isInput = (x: SimulateInput | Record<string, WindowCounts>): x is SimulateInput =>
  'ok' in x && typeof x.ok === 'boolean';

/**
 * The event to dry-run: `{event}` (a normalized IncidentEvent) or `{source, payload}` (a raw vendor
 * webhook body, normalized by the webhook's own code; no signature, since nothing is accepted).
 */
export function parseSimulate(body: unknown, windowIds: readonly string[]): SimulateInput {
  if (body && typeof body === 'object' && 'payload' in body) {
    const parsed = SimulatePayloadBody.safeParse(body);
    if (!parsed.success) return { ok: false, status: 400, body: badRequest(parsed.error) };
    const { source, payload } = parsed.data;
    const json = JSON.stringify(payload);
    const result = inboundSources[source].normalize(payload, {
      rawBody: Buffer.from(json),
      headers: {},
      receivedAt: new Date(),
    });
    if (result.kind === 'invalid') {
      return {
        ok: false,
        status: 400,
        body: invalid(
          result.issues.map((i) => ({ path: ['payload', i.path].filter(Boolean).join('.'), message: i.message })),
        ),
      };
    }
    if (result.kind === 'ignored') return { ok: false, status: 422, body: { error: 'ignored', reason: result.reason } };
    const window = windowCounts(parsed.data.window, windowIds);
    return isInput(window) ? window : { ok: true, event: result.event, normalizedFrom: source, window };
  }
  const parsed = SimulateEventBody.safeParse(body ?? {});
  if (!parsed.success) return { ok: false, status: 400, body: badRequest(parsed.error) };
  const window = windowCounts(parsed.data.window, windowIds);
  return isInput(window) ? window : { ok: true, event: parsed.data.event, window };
}
