import type { JiraStatusCategoryKey } from './mapping.ts';
import type { JiraTransition } from './outbound-schema.ts';

/**
 * Transition ids differ per workflow, so we look them up and match `to.statusCategory.key`,
 * which every workflow shares (new, indeterminate, done). Pure: the I/O loop lives in outbound.ts.
 * https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-transitions-get
 */

/**
 * Workflows where "done" is not reachable from "new" (To Do → In Progress → Done) need a hop
 * through "indeterminate"; two steps cover every default Jira and JSM workflow.
 */
export const MAX_TRANSITION_HOPS = 2;

export type TransitionStep =
  | { readonly kind: 'none' }
  | { readonly kind: 'step'; readonly transition: JiraTransition; readonly final: boolean }
  | { readonly kind: 'stuck' };

const ORDER: Readonly<Record<JiraStatusCategoryKey, number>> = { new: 0, indeterminate: 1, done: 2 };

function categoryOf(key: string): JiraStatusCategoryKey | undefined {
  return key === 'new' || key === 'indeterminate' || key === 'done' ? key : undefined;
}

/**
 * The next transition from `current` towards `target`: a direct one when the workflow has it
 * (Jira's own order, which is the ops bar's, breaks ties), else one into the category between.
 */
export function nextTransition(
  current: string,
  target: JiraStatusCategoryKey,
  transitions: readonly JiraTransition[],
): TransitionStep {
  if (current === target) return { kind: 'none' };
  const usable = transitions.filter((t) => t.isAvailable !== false);
  const direct = usable.find((t) => t.to.statusCategory.key === target);
  if (direct) return { kind: 'step', transition: direct, final: true };
  const from = categoryOf(current);
  if (from === undefined || Math.abs(ORDER[target] - ORDER[from]) < 2) return { kind: 'stuck' };
  const between = usable.find((t) => t.to.statusCategory.key === 'indeterminate');
  return between ? { kind: 'step', transition: between, final: false } : { kind: 'stuck' };
}
