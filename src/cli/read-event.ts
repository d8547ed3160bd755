import { inboundSources } from '../connectors/inbound-sources.ts';
import { IncidentEvent, SOURCES, type Source } from '../domain/incident-event.ts';

export class EventInputError extends Error {
  readonly code = 'EVENT_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'EventInputError';
  }
}

/**
 * An event to simulate: a normalized IncidentEvent as JSON, or a raw vendor webhook body
 * (ServiceNow record, Jira webhook, PagerDuty v3 webhook) normalized by the same code the
 * webhooks use. Signatures are not checked: this is a dry run on a file the admin holds.
 */
export function incidentFromJson(
  json: unknown,
  opts: { source?: Source; receivedAt?: Date } = {},
): { event: IncidentEvent; normalizedFrom?: Source } {
  const direct = IncidentEvent.safeParse(json);
  if (direct.success) return { event: direct.data };
  const receivedAt = opts.receivedAt ?? new Date();
  const tried: string[] = [];
  for (const source of opts.source ? [opts.source] : SOURCES) {
    const result = inboundSources[source].normalize(json, {
      rawBody: Buffer.from(JSON.stringify(json)),
      headers: {},
      receivedAt,
    });
    if (result.kind === 'event') return { event: result.event, normalizedFrom: source };
    if (result.kind === 'ignored')
      throw new EventInputError(`a ${source} payload mim-bridge ignores: ${result.reason}`);
    tried.push(
      `${source}: ${result.issues
        .slice(0, 3)
        .map((i) => `${i.path || '(root)'} ${i.message}`)
        .join('; ')}`,
    );
  }
  const own = direct.error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(root)'} ${i.message}`)
    .join('; ');
  throw new EventInputError(
    `not an IncidentEvent (${own}) nor a ${opts.source ?? SOURCES.join('/')} webhook payload:\n  ${tried.join('\n  ')}`,
  );
}

/** `storm_10m=5,other=2/1` → window counts (`count/distinctCallers`; callers default to count). */
export function parseWindowOption(
  text: string | undefined,
  known: readonly string[],
): Record<string, { count: number; distinctCallers: number }> {
  const out: Record<string, { count: number; distinctCallers: number }> = {};
  for (const part of (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^([a-z][a-z0-9_]*)=(\d+)(?:\/(\d+))?$/.exec(part);
    if (!m) throw new EventInputError(`--window: "${part}" is not <id>=<count>[/<distinct callers>]`);
    const [, id, count, callers] = m as unknown as [string, string, string, string | undefined];
    if (!known.includes(id))
      throw new EventInputError(`--window: no window "${id}" in rules.yaml (windows: ${known.join(', ') || 'none'})`);
    out[id] = { count: Number(count), distinctCallers: Number(callers ?? count) };
  }
  return out;
}
