/**
 * What mappings.yaml `jira:` tells the connector about the site's projects (the config schema is
 * src/config/files/schema-mappings.ts; this is its shape as the connector reads it, so the connector
 * does not depend on the config loader). Read at every call: a config reload applies at once.
 */

export interface JiraProjectSettings {
  /** The issue type of the major incident's issue in this project, when it is a JSM service project. */
  readonly incidentIssueType?: string | undefined;
  /** Values for fields a transition's screen asks for, by field id; merged over the site-wide ones. */
  readonly transitionFields?: Readonly<Record<string, unknown>> | undefined;
}

export interface JiraSettings {
  /** By field id, in the shape Jira takes in a transition's `fields` (`resolution: { name: Done }`). */
  readonly transitionFields: Readonly<Record<string, unknown>>;
  readonly incidentIssueType: string;
  /** The name of JSM's major-incident field, looked up through `GET /rest/api/3/field`; null: never set it. */
  readonly majorIncidentField: string | null;
  readonly projects: Readonly<Record<string, JiraProjectSettings>>;
}

/**
 * `Done` exists in every new Cloud site's resolutions; `[System] Incident` is the incident type of
 * JSM's IT service management template; `Major incident` is the name of JSM's field (secondary: the
 * exact names; an admin may rename them, hence the settings).
 */
export const DEFAULT_JIRA_SETTINGS: JiraSettings = {
  transitionFields: { resolution: { name: 'Done' } },
  incidentIssueType: '[System] Incident',
  majorIncidentField: 'Major incident',
  projects: {},
};

/** `OPS-42` → `OPS`; a numeric issue id names no project, so only the site-wide settings apply to it. */
export const projectOfKey = (key: string): string | undefined => /^([A-Za-z][A-Za-z0-9_]*)-\d+$/.exec(key)?.[1];

export function transitionFieldsFor(settings: JiraSettings, project: string | undefined) {
  const own = project === undefined ? undefined : settings.projects[project]?.transitionFields;
  return { ...settings.transitionFields, ...own };
}

export const incidentIssueTypeFor = (settings: JiraSettings, project: string): string =>
  settings.projects[project]?.incidentIssueType ?? settings.incidentIssueType;

/** The config keys an admin sets for a field, for error messages. */
export const transitionFieldKeys = (fieldId: string, project: string | undefined) =>
  [
    `jira.transitionFields.${fieldId}`,
    ...(project ? [`jira.projects.${project}.transitionFields.${fieldId}`] : []),
  ].join(' or ');
