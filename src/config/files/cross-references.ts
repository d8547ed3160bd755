import type { z } from 'zod';
import type { AudiencesFile } from './schema-audiences.ts';
import type { MappingsFile } from './schema-mappings.ts';
import type { RulesFile } from './schema-rules.ts';
import type { ServicesFile } from './schema-services.ts';

/** The config directory as one value: the four files by name, and the template files found. */
export interface ConfigFilesData {
  readonly 'services.yaml': ServicesFile;
  readonly 'audiences.yaml': AudiencesFile;
  readonly 'rules.yaml': RulesFile;
  readonly 'mappings.yaml': MappingsFile;
  /** Paths under templates/, e.g. `business/declared.liquid`. */
  readonly templates: readonly string[];
}

type Path = Array<string | number>;
type Report = (path: Path, message: string) => void;

function duplicateIds(items: ReadonlyArray<{ id: string }>, at: Path, report: Report): void {
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const first = seen.get(item.id);
    if (first === undefined) seen.set(item.id, i);
    else report([...at, i, 'id'], `duplicate id "${item.id}" (first at ${at.at(-1)}.${first})`);
  });
}

/** One name mapped to two services makes the catalogue ambiguous; the first would silently win. */
function duplicateMatches(services: ServicesFile['services'], report: Report): void {
  const kinds = [
    ['servicenow', 'businessServices'],
    ['servicenow', 'cmdbCis'],
    ['jira', 'projects'],
    ['jira', 'components'],
  ] as const;
  for (const [vendor, kind] of kinds) {
    const owner = new Map<string, string>();
    for (const [i, s] of services.entries()) {
      for (const [j, name] of ((s.match[vendor] as Record<string, string[]>)[kind] ?? []).entries()) {
        const key = name.toLowerCase();
        const other = owner.get(key);
        if (other !== undefined && other !== s.id)
          report(['services', i, 'match', vendor, kind, j], `"${name}" is already matched by service "${other}"`);
        else owner.set(key, s.id);
      }
    }
  }
}

function templateProblems(c: ConfigFilesData, report: Report): void {
  const audiences = new Map(c['audiences.yaml'].audiences.map((a) => [a.id, a]));
  const has = (register: string, name: string) => c.templates.includes(`${register}/${name}.liquid`);
  // `all` means the service's audiences; any service may be the one, so every register they use counts.
  const allRegisters = new Set(
    c['services.yaml'].services.flatMap((s) => s.audiences.flatMap((id) => audiences.get(id)?.register ?? [])),
  );
  for (const [playbook, steps] of Object.entries(c['rules.yaml'].playbooks)) {
    steps.forEach((step, i) => {
      const at: Path = ['rules.yaml', 'playbooks', playbook, i];
      if (step.do === 'notify') {
        const ids = step.audiences === 'all' ? [] : step.audiences;
        ids.forEach((id, j) => {
          if (!audiences.has(id)) report([...at, 'audiences', j], `unknown audience "${id}" (not in audiences.yaml)`);
        });
        const registers =
          step.audiences === 'all' ? allRegisters : new Set(ids.flatMap((id) => audiences.get(id)?.register ?? []));
        for (const register of registers) {
          if (!has(register, step.template))
            report(
              [...at, 'template'],
              `no template "${step.template}" for ${register} audiences: add ` +
                `templates/${register}/${step.template}.liquid`,
            );
        }
      } else if (step.do === 'servicenow.announce' || step.do === 'servicenow.retire_announcement') {
        // Announcements are for end users: always the business register, whatever the audience's own.
        const ids = step.audiences === 'all' ? [] : step.audiences;
        ids.forEach((id, j) => {
          if (!audiences.has(id)) report([...at, 'audiences', j], `unknown audience "${id}" (not in audiences.yaml)`);
          else if (!audiences.get(id)?.announcement)
            report([...at, 'audiences', j], `audience "${id}" has no announcement block in audiences.yaml`);
        });
        if (!has('business', step.template))
          report(
            [...at, 'template'],
            `no template "${step.template}" for announcements: add templates/business/${step.template}.liquid`,
          );
      } else if (
        'template' in step &&
        step.template &&
        !has('technical', step.template) &&
        !has('business', step.template)
      ) {
        report([...at, 'template'], `no template "${step.template}" in templates/technical or templates/business`);
      }
    });
  }
}

/**
 * What no single file's schema can see: ids that must exist in another file, duplicates, and
 * templates that playbooks name. Runs as the whole-directory schema's refinement.
 */
export function checkCrossReferences(c: ConfigFilesData, ctx: z.RefinementCtx): void {
  const report: Report = (path, message) => ctx.addIssue({ code: 'custom', path, message });
  const inFile =
    (file: string): Report =>
    (path, message) =>
      report([file, ...path], message);
  const services = c['services.yaml'].services;
  duplicateIds(services, ['services'], inFile('services.yaml'));
  duplicateMatches(services, inFile('services.yaml'));
  duplicateIds(c['audiences.yaml'].audiences, ['audiences'], inFile('audiences.yaml'));
  duplicateIds(c['rules.yaml'].rules, ['rules'], inFile('rules.yaml'));
  duplicateIds(c['rules.yaml'].windows, ['windows'], inFile('rules.yaml'));
  const audienceIds = new Set(c['audiences.yaml'].audiences.map((a) => a.id));
  for (const [i, s] of services.entries()) {
    for (const [j, id] of s.audiences.entries()) {
      if (!audienceIds.has(id))
        report(['services.yaml', 'services', i, 'audiences', j], `unknown audience "${id}" (not in audiences.yaml)`);
    }
  }
  templateProblems(c, report);
  const seenFields = new Set<string>();
  c['mappings.yaml'].fields.forEach((f, i) => {
    if (seenFields.has(f.servicenow))
      report(['mappings.yaml', 'fields', i, 'servicenow'], `field "${f.servicenow}" is mapped twice`);
    seenFields.add(f.servicenow);
  });
}
