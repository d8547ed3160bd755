import type { Evaluation } from './evaluate.ts';

/** A rule whose condition could not be evaluated for one event, as recorded for readiness and the console. */
export interface RuleRunError {
  readonly rule: string;
  /** CEL's reason, with text quoted from the event redacted (redactEventText). */
  readonly error: string;
  readonly configVersion: string;
  /** When it happened (ms since the epoch). */
  readonly at: number;
  /** `source/recordId` of the incident, to find and simulate the event; never its fields. */
  readonly incident: string;
}

/** Longer reasons are cut: a reason names a field or an overload, never needs more. */
export const MAX_REASON = 200;

/**
 * CEL's reasons name fields and types, but one about a pattern read from the event (`incident.title.matches(
 * incident.description)`) quotes part of that pattern in backticks or double quotes: event text, which may hold
 * anything a caller typed. Those runs are replaced, so logs and /readyz carry the reason and never the event's words.
 * Single quotes are kept: the library puts field and type names in them (`Field 'priority' is not of type 'int'`).
 */
export function redactEventText(reason: string): string {
  const redacted = reason.replace(/`[^`]*`/g, '`…`').replace(/"[^"]*"/g, '"…"');
  return redacted.length > MAX_REASON ? `${redacted.slice(0, MAX_REASON)}…` : redacted;
}

/**
 * The rules that erred in one evaluation. An unmapped incident is left out: it is never decided, and every rule
 * reading `service` errs on it by design (its service has no fields), which says nothing about the rules.
 */
export function runErrors(evaluation: Evaluation, incident: string, at: number): RuleRunError[] {
  if (evaluation.unmapped) return [];
  return evaluation.results
    .filter((r) => r.error !== undefined)
    .map((r) => ({
      rule: r.ruleId,
      error: redactEventText(r.error!),
      configVersion: evaluation.configVersion,
      at,
      incident,
    }));
}
