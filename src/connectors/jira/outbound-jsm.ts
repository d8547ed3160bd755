import type { createCloudClient } from 'jira.js';
import { z } from 'zod';
import { parseBody } from '../shared/axios-call.ts';
import type { Clock } from '../shared/retry-after.ts';

type Jira = ReturnType<typeof createCloudClient>;

/**
 * What the site says about Jira Service Management: whether a project is a service project
 * (`projectTypeKey: service_desk`), and the id of JSM's major-incident field, which differs per
 * site and is found by its name. Both change rarely (an admin's doing), so each answer is kept per
 * process for JSM_LOOKUP_TTL_MS: a type or a field an admin adds is seen within that time.
 * https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-projects/ (Get project)
 * https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-fields/ (Get fields)
 */
export const JSM_LOOKUP_TTL_MS = 10 * 60_000;
export const SERVICE_PROJECT_TYPE = 'service_desk';
/**
 * The value that marks an issue as a major incident; `null` clears it. (secondary: the JSM Incidents
 * API's `majorIncident` field, https://developer.atlassian.com/cloud/incidents/rest/api-group-incident/)
 */
export const MAJOR_INCIDENT_VALUE = 'MAJOR_INCIDENT';

const Project = z.looseObject({ key: z.string(), projectTypeKey: z.string().optional() });
const Fields = z.array(z.looseObject({ id: z.string().min(1), name: z.string().optional() }));

export interface JsmLookups {
  isServiceProject(project: string): Promise<boolean>;
  /** The field's id (`customfield_10094`), or undefined when the site has no field of that name. */
  fieldIdByName(name: string): Promise<string | undefined>;
}

export function createJsmLookups(jira: Jira, now: Clock, ttlMs = JSM_LOOKUP_TTL_MS): JsmLookups {
  const cache = new Map<string, { at: number; value: Promise<unknown> }>();
  function cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    const hit = cache.get(key);
    if (hit && now() - hit.at < ttlMs) return hit.value as Promise<T>;
    const value = load();
    cache.set(key, { at: now(), value });
    // A failed look-up is not remembered: the next call asks again.
    value.catch(() => cache.delete(key));
    return value;
  }
  return {
    isServiceProject: (project) =>
      cached(`project:${project}`, async () => {
        const found = parseBody('jira', Project, await jira.projects.getProject({ projectIdOrKey: project }));
        return found.projectTypeKey === SERVICE_PROJECT_TYPE;
      }),
    fieldIdByName: async (name) => {
      const fields = await cached('fields', async () => parseBody('jira', Fields, await jira.issueFields.getFields()));
      const wanted = name.toLowerCase();
      return fields.find((f) => f.name?.toLowerCase() === wanted)?.id;
    },
  };
}
