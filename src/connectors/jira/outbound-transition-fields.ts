import { z } from 'zod';

/**
 * The fields of a transition's screen, as `GET /issue/{key}/transitions?expand=transitions.fields`
 * describes them (FieldMetadata), and what mim-bridge sends for them. Pure.
 * https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/ (Get transitions)
 */

export const TransitionFieldMeta = z.looseObject({
  required: z.boolean().optional(),
  name: z.string().optional(),
  hasDefaultValue: z.boolean().optional(),
  allowedValues: z.array(z.unknown()).optional(),
});
export type TransitionFieldMeta = z.infer<typeof TransitionFieldMeta>;

export interface FieldProblem {
  readonly id: string;
  readonly name: string;
  /** What is wrong: nothing configured, or a configured name the field does not offer. */
  readonly reason: 'not configured' | `"${string}" is not one of ${string}`;
}

export type TransitionFieldPlan =
  | { readonly kind: 'fields'; readonly fields: Readonly<Record<string, unknown>> }
  | { readonly kind: 'problems'; readonly problems: readonly FieldProblem[] };

const nameOf = (v: unknown) =>
  typeof v === 'object' && v !== null && typeof (v as { name?: unknown }).name === 'string'
    ? (v as { name: string }).name
    : undefined;

/** A configured `{name}` that the field's allowed values do not hold (Jira answers 400 to it). */
function unknownName(meta: TransitionFieldMeta, value: unknown): string | undefined {
  const wanted = nameOf(value);
  const names = (meta.allowedValues ?? []).map(nameOf).filter((n): n is string => n !== undefined);
  if (wanted === undefined || names.length === 0 || names.includes(wanted)) return undefined;
  return `"${wanted}" is not one of ${names.map((n) => `"${n}"`).join(', ')}`;
}

/**
 * The configured values of the fields on the screen (a field the screen does not show cannot be set:
 * Jira answers 400), or every required field mim-bridge cannot fill. A required field with a default
 * needs nothing from us.
 */
export function planTransitionFields(
  screen: Readonly<Record<string, TransitionFieldMeta>>,
  configured: Readonly<Record<string, unknown>>,
): TransitionFieldPlan {
  const fields: Record<string, unknown> = {};
  const problems: FieldProblem[] = [];
  for (const [id, meta] of Object.entries(screen)) {
    const name = meta.name ?? id;
    if (Object.hasOwn(configured, id)) {
      const bad = unknownName(meta, configured[id]);
      if (bad) problems.push({ id, name, reason: bad as FieldProblem['reason'] });
      else fields[id] = configured[id];
    } else if (meta.required && !meta.hasDefaultValue) {
      problems.push({ id, name, reason: 'not configured' });
    }
  }
  return problems.length ? { kind: 'problems', problems } : { kind: 'fields', fields };
}
