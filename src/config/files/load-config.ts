import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { compileRules, type CompiledRules } from '../../rules/compile-rules.ts';
import { indexServices, type ServiceIndex } from '../../rules/resolve-service.ts';
import { loadTemplates, type TemplateSet } from '../../templates/index.ts';
import { ConfigError, type ConfigIssue } from './config-error.ts';
import { crossReferenceProblems } from './cross-references.ts';
import { CONFIG_FILES, type AudiencesFile, type ConfigFileName, type MappingsFile, type RulesFile, type ServicesFile } from './schema.ts';
import { parseYaml, positionOf, type ParsedYaml } from './yaml-positions.ts';

export interface LoadedConfig {
  readonly dir: string;
  /** Content hash of every file: the version each decision records. */
  readonly version: string;
  readonly services: ServicesFile;
  readonly audiences: AudiencesFile;
  readonly rules: RulesFile;
  readonly mappings: MappingsFile;
  readonly compiled: CompiledRules;
  readonly serviceIndex: ServiceIndex;
  readonly templates: TemplateSet;
  readonly loadedAt: string;
}

type Parsed = { [K in ConfigFileName]?: { yaml: ParsedYaml; data: z.infer<(typeof CONFIG_FILES)[K]> } };

async function templateFiles(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { recursive: true })).filter((f) => f.endsWith('.liquid')).sort();
  } catch {
    return [];
  }
}

/**
 * Reads and validates the whole config directory. Every problem comes back at once, located by
 * file, line and column; nothing partial is ever returned.
 */
export async function loadConfig(dir: string): Promise<LoadedConfig> {
  const issues: ConfigIssue[] = [];
  const parsed: Parsed = {};
  const hash = createHash('sha256');
  for (const [file, schema] of Object.entries(CONFIG_FILES) as Array<[ConfigFileName, (typeof CONFIG_FILES)[ConfigFileName]]>) {
    let text: string;
    try {
      text = await readFile(path.join(dir, file), 'utf8');
    } catch {
      issues.push({ file, line: 1, column: 1, path: '', message: `missing file ${path.join(dir, file)}` });
      continue;
    }
    hash.update(`${file}\0${text}\0`);
    const yaml = parseYaml(text);
    for (const e of yaml.doc.errors) {
      issues.push({ file, line: e.linePos?.[0]?.line ?? 1, column: e.linePos?.[0]?.col ?? 1, path: '', message: `YAML: ${(e.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '')}` });
    }
    if (yaml.doc.errors.length) continue;
    const result = schema.safeParse(yaml.doc.toJS());
    if (!result.success) {
      for (const i of result.error.issues) {
        const at = positionOf(yaml, i.path as Array<string | number>);
        issues.push({ file, ...at, path: i.path.join('.'), message: i.message });
      }
      continue;
    }
    (parsed as Record<string, unknown>)[file] = { yaml, data: result.data };
  }
  const templatesDir = path.join(dir, 'templates');
  for (const f of await templateFiles(templatesDir)) hash.update(`templates/${f}\0${await readFile(path.join(templatesDir, f), 'utf8')}\0`);
  let templates: TemplateSet | undefined;
  try {
    templates = await loadTemplates(templatesDir);
  } catch (err) {
    const e = err as Error & { file?: string; line?: number };
    issues.push({ file: `templates/${e.file ?? ''}`, line: e.line ?? 1, column: 1, path: '', message: e.message.split('\n')[0] ?? 'template error' });
  }

  const services = parsed['services.yaml'];
  const audiences = parsed['audiences.yaml'];
  const rules = parsed['rules.yaml'];
  const mappings = parsed['mappings.yaml'];
  if (!services || !audiences || !rules || !mappings || !templates) throw new ConfigError(issues);

  const { compiled, problems } = compileRules(rules.data);
  const located = (file: ConfigFileName, yaml: ParsedYaml) => (p: { path: ReadonlyArray<string | number>; message: string }): ConfigIssue =>
    ({ file, ...positionOf(yaml, p.path), path: p.path.join('.'), message: p.message });
  issues.push(...problems.map(located('rules.yaml', rules.yaml)));
  const refs = crossReferenceProblems({ services: services.data, audiences: audiences.data, rules: rules.data, templates });
  for (const r of refs) {
    const file = r.file;
    const yaml = parsed[file]?.yaml;
    if (yaml) issues.push(located(file, yaml)(r));
  }
  if (issues.length) throw new ConfigError(issues);

  return deepFreeze({
    dir, version: hash.digest('hex').slice(0, 12),
    services: services.data, audiences: audiences.data, rules: rules.data, mappings: mappings.data,
    compiled, serviceIndex: indexServices(services.data), templates, loadedAt: new Date().toISOString(),
  });
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value) && !(value instanceof Map) && typeof value !== 'function') {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
