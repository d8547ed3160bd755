import { hasTemplate, type TemplateSet } from '../../templates/index.ts';
import type { AudiencesFile, ConfigFileName, RulesFile, ServicesFile } from './schema.ts';

export interface RefProblem {
  readonly file: ConfigFileName;
  readonly path: ReadonlyArray<string | number>;
  readonly message: string;
}

function duplicates<T extends { id: string }>(items: readonly T[], file: ConfigFileName, key: string): RefProblem[] {
  const seen = new Set<string>();
  return items.flatMap((item, i) => {
    if (!seen.has(item.id)) { seen.add(item.id); return []; }
    return [{ file, path: [key, i, 'id'], message: `duplicate id "${item.id}"` }];
  });
}

/** What no single file's schema can see: ids that must exist elsewhere, and duplicates. */
export function crossReferenceProblems(c: { services: ServicesFile; audiences: AudiencesFile; rules: RulesFile; templates: TemplateSet }): RefProblem[] {
  const audienceIds = new Set(c.audiences.audiences.map((a) => a.id));
  const out: RefProblem[] = [
    ...duplicates(c.services.services, 'services.yaml', 'services'),
    ...duplicates(c.audiences.audiences, 'audiences.yaml', 'audiences'),
    ...duplicates(c.rules.rules, 'rules.yaml', 'rules'),
    ...duplicates(c.rules.windows, 'rules.yaml', 'windows'),
  ];
  c.services.services.forEach((s, i) => s.audiences.forEach((a, j) => {
    if (!audienceIds.has(a)) out.push({ file: 'services.yaml', path: ['services', i, 'audiences', j], message: `unknown audience "${a}" (not in audiences.yaml)` });
  }));
  for (const [name, steps] of Object.entries(c.rules.playbooks)) {
    steps.forEach((step, i) => {
      if (Array.isArray(step.audiences)) step.audiences.forEach((a, j) => {
        if (!audienceIds.has(a)) out.push({ file: 'rules.yaml', path: ['playbooks', name, i, 'audiences', j], message: `unknown audience "${a}" (not in audiences.yaml)` });
      });
      if (step.do === 'notify' && !step.template) out.push({ file: 'rules.yaml', path: ['playbooks', name, i], message: 'notify needs a template' });
      if (step.template && !hasTemplate(c.templates, step.template, 'business') && !hasTemplate(c.templates, step.template, 'technical')) {
        out.push({ file: 'rules.yaml', path: ['playbooks', name, i, 'template'], message: `no template "${step.template}" in templates/business or templates/technical` });
      }
    });
  }
  return out;
}
