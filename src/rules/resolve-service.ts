/**
 * The part of a catalogue service (services.yaml, validated by config/files/schema-services.ts)
 * that matches records to it. The index hands back the whole service the caller gave it.
 */
export interface ServiceMatch {
  readonly match: {
    readonly servicenow: { readonly businessServices: readonly string[]; readonly cmdbCis: readonly string[] };
    readonly jira: { readonly projects: readonly string[]; readonly components: readonly string[] };
  };
}

/** The parts of an incident that say which service it belongs to. */
export interface ServiceLookupFacts {
  readonly source: string;
  /** ServiceNow business_service display name; Jira: the first component, else the project key. */
  readonly serviceName?: string | undefined;
  /** ServiceNow cmdb_ci display name. */
  readonly ciName?: string | undefined;
  /** ServiceNow INC number or Jira issue key (`PAY-42`: its project is the prefix). */
  readonly number?: string | undefined;
}

/** Catalogue names → service, built once per config version. Names compare case-insensitively. */
export interface ServiceIndex<S extends ServiceMatch = ServiceMatch> {
  readonly byBusinessService: ReadonlyMap<string, S>;
  readonly byCi: ReadonlyMap<string, S>;
  readonly byJiraProject: ReadonlyMap<string, S>;
  readonly byJiraComponent: ReadonlyMap<string, S>;
}

const norm = (s: string) => s.trim().toLowerCase();

export function indexServices<S extends ServiceMatch>(file: { readonly services: readonly S[] }): ServiceIndex<S> {
  const maps = {
    byBusinessService: new Map<string, S>(),
    byCi: new Map<string, S>(),
    byJiraProject: new Map<string, S>(),
    byJiraComponent: new Map<string, S>(),
  };
  // The schema refuses a name matched by two services, so the first writer is the only one.
  for (const s of file.services) {
    for (const n of s.match.servicenow.businessServices) maps.byBusinessService.set(norm(n), s);
    for (const n of s.match.servicenow.cmdbCis) maps.byCi.set(norm(n), s);
    for (const n of s.match.jira.projects) maps.byJiraProject.set(norm(n), s);
    for (const n of s.match.jira.components) maps.byJiraComponent.set(norm(n), s);
  }
  return maps;
}

/**
 * The catalogue service an incident belongs to, or null (unmapped). ServiceNow matches by
 * business service, then CI; Jira by component, then project (the field, else the issue key's
 * prefix). PagerDuty incidents are not catalogued: they belong to the major incident they page for.
 */
export function resolveService<S extends ServiceMatch>(
  config: ServiceIndex<S> | { readonly serviceIndex: ServiceIndex<S> },
  f: ServiceLookupFacts,
): S | null {
  const index = 'serviceIndex' in config ? config.serviceIndex : config;
  const pick = (map: ReadonlyMap<string, S>, key: string | undefined) => (key ? map.get(norm(key)) : undefined);
  if (f.source === 'servicenow')
    return pick(index.byBusinessService, f.serviceName) ?? pick(index.byCi, f.ciName) ?? null;
  if (f.source === 'jira') {
    const project = f.number?.includes('-') ? f.number.split('-')[0] : undefined;
    return (
      pick(index.byJiraComponent, f.serviceName) ??
      pick(index.byJiraProject, f.serviceName) ??
      pick(index.byJiraProject, project) ??
      null
    );
  }
  return null;
}
