import type { Service, ServicesFile } from '../config/files/schema.ts';

export interface ServiceLookupFacts {
  readonly source: string;
  readonly serviceName?: string | undefined;
  readonly ciName?: string | undefined;
  readonly number?: string | undefined;
}

const norm = (s: string) => s.trim().toLowerCase();

/** Index of catalogue names → service, built once per config version. Names compare case-insensitively. */
export interface ServiceIndex {
  readonly byBusinessService: ReadonlyMap<string, Service>;
  readonly byCi: ReadonlyMap<string, Service>;
  readonly byJiraProject: ReadonlyMap<string, Service>;
  readonly byJiraComponent: ReadonlyMap<string, Service>;
}

export function indexServices(file: ServicesFile): ServiceIndex {
  const maps = { byBusinessService: new Map<string, Service>(), byCi: new Map<string, Service>(), byJiraProject: new Map<string, Service>(), byJiraComponent: new Map<string, Service>() };
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
 * business service, then CI; Jira by component, then project (from the field or the issue key).
 */
export function resolveService(index: ServiceIndex, f: ServiceLookupFacts): Service | null {
  const pick = (map: ReadonlyMap<string, Service>, key: string | undefined) => (key ? map.get(norm(key)) : undefined);
  if (f.source === 'servicenow') return pick(index.byBusinessService, f.serviceName) ?? pick(index.byCi, f.ciName) ?? null;
  if (f.source === 'jira') {
    const project = f.number?.split('-')[0];
    return pick(index.byJiraComponent, f.serviceName) ?? pick(index.byJiraProject, f.serviceName) ?? pick(index.byJiraProject, project) ?? null;
  }
  return null;
}
