import type { Cost } from './cost.ts';

/**
 * How costly the conditions may be (cost.ts estimates them). A fixed step is one node the CEL
 * library evaluates (about 0.1 µs); a step per character is about a nanosecond for each character
 * of the event (a string function reads one in about ten, a regex instruction in one). The shipped
 * rules cost under 200 fixed steps and under 100 per character in all, the 1,000 generated rules
 * of bench/rules.ts about 31,500 and 15,200. At the totals' limits a 4 KiB event costs at most
 * about 0.2 s of evaluation, and nothing a rule can say grows faster than the event.
 */
export const MAX_FIXED_STEPS = 100_000;
export const MAX_STEPS_PER_CHAR = 10_000;
/** Every enabled rule and window filter together, since each event runs them all. */
export const MAX_TOTAL_FIXED_STEPS = 1_000_000;
export const MAX_TOTAL_STEPS_PER_CHAR = 20_000;

export interface CostProblem {
  readonly message: string;
  readonly offset?: number;
}

/** Why one condition is too costly, or undefined. */
export function costProblem(cost: Cost): CostProblem | undefined {
  if (cost.squared) {
    return {
      message:
        "too costly: the work grows with the square of the event's size (a comprehension over event data inside " +
        'another, or comparing each element of event data with other event data); iterate over a list literal ' +
        'instead',
      ...(cost.at === undefined ? {} : { offset: cost.at }),
    };
  }
  if (cost.fixed > MAX_FIXED_STEPS)
    return {
      message:
        `too costly: up to ${cost.fixed} steps per event, at most ${MAX_FIXED_STEPS} (comprehensions over large ` +
        'lists multiply)',
    };
  if (cost.perChar > MAX_STEPS_PER_CHAR)
    return {
      message:
        `too costly: up to ${cost.perChar} steps per character of the event, at most ${MAX_STEPS_PER_CHAR} (each ` +
        "matches() costs its pattern's compiled size per character)",
    };
  return undefined;
}

/** Why the conditions together are too costly, or undefined. */
export function totalCostProblem(total: { fixed: number; perChar: number }): string | undefined {
  if (total.fixed > MAX_TOTAL_FIXED_STEPS)
    return (
      `the rules and window filters together are too costly: up to ${total.fixed} steps per event, at most ` +
      `${MAX_TOTAL_FIXED_STEPS}`
    );
  if (total.perChar > MAX_TOTAL_STEPS_PER_CHAR)
    return (
      `the rules and window filters together are too costly: up to ${total.perChar} steps per character of the ` +
      `event, at most ${MAX_TOTAL_STEPS_PER_CHAR}`
    );
  return undefined;
}
