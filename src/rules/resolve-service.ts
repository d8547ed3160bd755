import type { Service, ServicesFile } from '../config/files/schema-services.ts';

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
export interface ServiceIndex {
  readonly byBusinessService: ReadonlyMap<string, Service>;
  readonly byCi: ReadonlyMap<string, Service>;
  readonly byJiraProject: ReadonlyMap<string, Service>;
  readonly byJiraComponent: ReadonlyMap<string, Service>;
}

const norm = (s: string) => s.trim().toLowerCase();

export function indexServices(file: Pick<ServicesFile, 'services'>): ServiceIndex {
  const maps = { byBusinessService: new Map<string, Service>(), byCi: new Map<string, Service>(), byJiraProject: new Map<string, Service>(), byJiraComponent: new Map<string, Service>() };
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
export function resolveService(config: ServiceIndex | { readonly serviceIndex: ServiceIndex }, f: ServiceLookupFacts): Service | null {
  const index = 'serviceIndex' in config ? config.serviceIndex : config;
  const pick = (map: ReadonlyMap<string, Service>, key: string | undefined) => (key ? map.get(norm(key)) : undefined);
  if (f.source === 'servicenow') return pick(index.byBusinessService, f.serviceName) ?? pick(index.byCi, f.ciName) ?? null;
  if (f.source === 'jira') {
    const project = f.number?.includes('-') ? f.number.split('-')[0] : undefined;
    return pick(index.byJiraComponent, f.serviceName) ?? pick(index.byJiraProject, f.serviceName) ?? pick(index.byJiraProject, project) ?? null;
  }
  return null;
}
