import type { TimerKind } from './timers-plan.ts';

/**
 * What each planned timer means to the person waiting for it: the deadline the process keeps, not the
 * timer's kind. Keyed by TimerKind, so a kind added to the plan without a label does not compile.
 */
export const DEADLINE_LABELS = {
  ack: 'acknowledgement due',
  mobilise: 'mobilisation due',
  cadence: 'update due',
  pir: 'PIR overdue',
} as const satisfies Record<TimerKind, string>;

export interface Deadline {
  readonly kind: TimerKind;
  readonly label: string;
  /** ISO 8601; in the past means it is due now. */
  readonly at: string;
}

/** The planned timers as deadlines, soonest first. Pure. */
export function deadlines(timers: readonly { readonly kind: TimerKind; readonly at: number | string }[]): Deadline[] {
  return timers
    .map((t) => {
      const ms = typeof t.at === 'number' ? t.at : Date.parse(t.at);
      return { kind: t.kind, label: DEADLINE_LABELS[t.kind], at: new Date(ms).toISOString(), ms };
    })
    .sort((a, b) => a.ms - b.ms)
    .map(({ ms: _, ...d }) => d);
}
