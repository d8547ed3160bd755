import type { MajorIncident } from '../domain/major-incident.ts';

/** The Jira label every issue of an exercise carries, beside its `mim-<id>` marker: `labels = mim-exercise`. */
export const EXERCISE_LABEL = 'mim-exercise';
/** The ServiceNow `category` of every record an exercise creates: `category=exercise`. */
export const EXERCISE_CATEGORY = 'exercise';

/**
 * The major incident as the executors see it: an exercise's title carries rules.yaml
 * `drills.prefix`. Applied once, where executors load the record (app/actions-runtime.ts), so
 * every title, message, page and ticket they build from it is marked, whatever the connector and
 * whichever template, and a new executor is marked without knowing about drills. The stored
 * record keeps its own title. Pure; a title that already starts with the prefix keeps one.
 */
export function markedForOutbound(mi: MajorIncident, prefix: string): MajorIncident {
  if (!mi.exercise || mi.title.startsWith(prefix)) return mi;
  return { ...mi, title: `${prefix} ${mi.title}` };
}
