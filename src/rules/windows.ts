import type { CompiledRules } from './compile-rules.ts';
import { celContext, type RuleFacts, type WindowCounts } from './evaluate.ts';

export interface WindowDefinition {
  readonly id: string;
  /** The CEL filter as written, for logs and the admin API. */
  readonly filter: string;
  readonly per: 'service';
  readonly durationMs: number;
  /** Whether an incident counts in this window. A filter that errors does not count it. */
  matches(facts: Pick<RuleFacts, 'incident' | 'service' | 'now'>): boolean;
}

/**
 * The windows of a config version, for whoever keeps the counts (the Redis window store, the
 * simulator, a back-test). Filters are compiled once, with the rules.
 */
export function windowDefinitions(config: { readonly compiled: CompiledRules } | CompiledRules): WindowDefinition[] {
  const compiled = 'compiled' in config ? config.compiled : config;
  return compiled.windows.map((w) => ({
    id: w.id,
    filter: w.filter,
    per: w.per,
    durationMs: w.durationMs,
    matches: (facts) => {
      try {
        return w.program(celContext({ ...facts, window: {} }, compiled)) === true;
      } catch {
        return false;
      }
    },
  }));
}

export interface WindowEntry {
  /** When the incident's event happened (source time). */
  readonly at: number | Date | string;
  /** One incident counts once however many of its events match. */
  readonly incidentKey: string;
  readonly caller?: string | undefined;
}

const ms = (t: number | Date | string) =>
  typeof t === 'number' ? t : typeof t === 'string' ? Date.parse(t) : t.getTime();

/**
 * Exact sliding window: the distinct incidents, and distinct callers among them, with an entry in
 * `[now - durationMs, now]` (both ends included, as the Redis store's ZCOUNT). Entries after `now`
 * have not happened yet, for a replay; the latest entry of each incident and caller counts.
 */
export function windowFacts(entries: Iterable<WindowEntry>, now: number | Date, durationMs: number): WindowCounts {
  const end = ms(now);
  const from = end - durationMs;
  const incidents = new Set<string>();
  const callers = new Set<string>();
  for (const e of entries) {
    const at = ms(e.at);
    if (!(at >= from && at <= end)) continue;
    incidents.add(e.incidentKey);
    if (e.caller) callers.add(e.caller);
  }
  return { count: incidents.size, distinctCallers: callers.size };
}
