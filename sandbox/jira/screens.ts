import {
  MAJOR_INCIDENT_FIELD,
  MAJOR_INCIDENT_VALUE,
  RESOLUTION_REQUIRED,
  RESOLUTIONS,
  STATUSES,
  type ProjectConfig,
  type Transition,
} from './catalogue.ts';
import { fieldErrors, messageError, type JiraFailure } from './errors.ts';
import type { Issue } from './model.ts';
import { isObject, notOnScreen } from './validate.ts';

/**
 * Transition screens and JSM's major-incident field, as Jira checks them. In the simulated workflow
 * only one transition has a screen: Done, in a project whose Done requires a Resolution
 * (ProjectConfig.doneRequiresResolution); a field sent to any other transition is not on its screen.
 * https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/ (Transition issue)
 */

type Resolution = { readonly id: string; readonly name: string };

const asksForResolution = (issue: Issue, t: Transition) =>
  issue.project.doneRequiresResolution && STATUSES[t.to as keyof typeof STATUSES].statusCategory.key === 'done';

/** `expand=transitions.fields`: the screen's fields as FieldMetadata, by field id. */
export function transitionScreen(base: string, issue: Issue, t: Transition): Record<string, unknown> {
  if (!asksForResolution(issue, t)) return {};
  return {
    resolution: {
      required: true,
      schema: { type: 'resolution', system: 'resolution' },
      name: 'Resolution',
      key: 'resolution',
      hasDefaultValue: false,
      operations: ['set'],
      allowedValues: RESOLUTIONS.map((r) => ({ self: `${base}/rest/api/3/resolution/${r.id}`, ...r })),
    },
  };
}

export const hasScreen = (issue: Issue, t: Transition) => asksForResolution(issue, t);

/** The transition request's `fields` checked against the screen; the resolution it sets, if any. */
export function transitionFieldErrors(
  issue: Issue,
  t: Transition,
  fields: unknown,
): { readonly ok: true; readonly resolution?: Resolution } | JiraFailure {
  if (fields !== undefined && !isObject(fields)) return messageError(400, 'Can not deserialize the request body.');
  const given = fields ?? {};
  const screen = asksForResolution(issue, t) ? ['resolution'] : [];
  const errors: Record<string, string> = {};
  for (const id of Object.keys(given)) if (!screen.includes(id)) errors[id] = notOnScreen(id);
  if (Object.keys(errors).length) return fieldErrors(errors);
  if (!screen.includes('resolution')) return { ok: true };
  const ref = given.resolution;
  if (ref === undefined || ref === null) return fieldErrors({ resolution: RESOLUTION_REQUIRED });
  const found = isObject(ref)
    ? RESOLUTIONS.find((r) => (typeof ref.name === 'string' ? r.name === ref.name : r.id === ref.id))
    : undefined;
  // (secondary: the wording, by analogy with priority's)
  if (!found) return fieldErrors({ resolution: "Could not find valid 'id' or 'name' in resolution object." });
  return { ok: true, resolution: found };
}

/** The major-incident field in a create or edit: JSM projects only, and only its one value or null. */
export function majorIncidentError(project: ProjectConfig, fields: Record<string, unknown>): string | undefined {
  const id = MAJOR_INCIDENT_FIELD.id;
  if (!Object.hasOwn(fields, id)) return undefined;
  if (project.projectTypeKey !== 'service_desk') return notOnScreen(id);
  const value = fields[id];
  if (value === null || value === MAJOR_INCIDENT_VALUE) return undefined;
  return `Invalid value for ${MAJOR_INCIDENT_FIELD.name}: "${MAJOR_INCIDENT_VALUE}" or null.`;
}
