import { compileTemplates, type TemplateSet, type TemplateSource } from '../../templates/index.ts';
import { compileRules, type CompiledRules } from '../../rules/compile-rules.ts';
import { indexServices, type ServiceIndex } from '../../rules/resolve-service.ts';
import { ConfigError, type ConfigIssue } from './config-error.ts';
import type { ConfigFilesData } from './cross-references.ts';
import { deepFreeze } from './deep-freeze.ts';
import { contentVersion, type ConfigDirFiles } from './read-config-dir.ts';
import {
  CONFIG_FILE_NAMES,
  CONFIG_FILES,
  ConfigFiles,
  REGISTERS,
  Service as ServiceSchema,
  type AudiencesFile,
  type ConfigFileName,
  type MappingsFile,
  type RulesFile,
  type Service,
  type ServicesFile,
} from './schema.ts';
import { locateZodIssues } from './zod-issues.ts';
import { parseYaml, positionInScalar, positionOf, type ParsedYaml } from './yaml-positions.ts';

/** One valid config version: deeply frozen, with everything compiled that events need. */
export interface LoadedConfig {
  readonly dir: string;
  /** Content hash of the files (read-config-dir.ts): the version every decision records. */
  readonly version: string;
  readonly services: ServicesFile;
  readonly audiences: AudiencesFile;
  readonly rules: RulesFile;
  readonly mappings: MappingsFile;
  /** Rule conditions and window filters, compiled once for this version. */
  readonly compiled: CompiledRules;
  readonly serviceIndex: ServiceIndex<Service>;
  readonly templates: TemplateSet;
  /** Template files found, relative to templates/. */
  readonly templateFiles: readonly string[];
  readonly loadedAt: string;
}

function yamlIssues(file: string, parsed: ParsedYaml): ConfigIssue[] {
  return parsed.doc.errors.map((e) => ({
    file,
    line: e.linePos?.[0]?.line ?? 1,
    column: e.linePos?.[0]?.col ?? 1,
    path: '',
    message: `YAML: ${(e.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '')}`,
  }));
}

function templateSources(files: ConfigDirFiles, issues: ConfigIssue[]): TemplateSource[] {
  return files.templates.flatMap((t): TemplateSource[] => {
    const [register, name, ...rest] = t.name.split('/');
    if (rest.length || !name || !(REGISTERS as readonly string[]).includes(register ?? '')) {
      issues.push({
        file: `templates/${t.name}`,
        line: 1,
        column: 1,
        path: '',
        message: `templates live in templates/${REGISTERS.join('/ or templates/')}/`,
      });
      return [];
    }
    return [
      {
        register: register as TemplateSource['register'],
        name: name.slice(0, -'.liquid'.length),
        source: t.bytes.toString('utf8'),
        file: t.name,
      },
    ];
  });
}

function compileTemplateSet(sources: readonly TemplateSource[], issues: ConfigIssue[]): TemplateSet | undefined {
  try {
    return compileTemplates(sources);
  } catch (err) {
    const faults = err instanceof AggregateError ? err.errors : [err];
    for (const f of faults as Array<Error & { file?: string; line?: number }>) {
      const message = f.message.replace(/^[^\s:]+(:\d+)?: /, '');
      issues.push({ file: `templates/${f.file ?? ''}`, line: f.line ?? 1, column: 1, path: '', message });
    }
    return undefined;
  }
}

/**
 * Validates and compiles a config directory's bytes. Pure: the same bytes give the same config
 * or the same problems. Every problem comes back at once, located by file, line and column; a
 * partial config is never returned.
 */
export function buildConfig(files: ConfigDirFiles, now = new Date()): LoadedConfig {
  const { dir } = files;
  if (files.unreadable)
    throw new ConfigError(dir, [
      { file: '.', line: 1, column: 1, path: '', message: `cannot read the config directory: ${files.unreadable}` },
    ]);
  const issues: ConfigIssue[] = [];
  const yaml: Partial<Record<ConfigFileName, ParsedYaml>> = {};
  const data: Partial<Record<ConfigFileName, unknown>> = {};
  for (const file of CONFIG_FILE_NAMES) {
    const bytes = files.yaml[file];
    if (!bytes) {
      issues.push({ file, line: 1, column: 1, path: '', message: 'missing file' });
      continue;
    }
    const parsed = parseYaml(bytes.toString('utf8'));
    const syntax = yamlIssues(file, parsed);
    issues.push(...syntax);
    if (syntax.length) continue;
    try {
      // yaml refuses documents whose aliases expand past its limit (a "billion laughs" draft a viewer may send to
      // simulate).
      data[file] = parsed.doc.toJS();
    } catch (err) {
      issues.push({
        file,
        line: 1,
        column: 1,
        path: '',
        message: `cannot read the YAML: ${err instanceof Error ? err.message : String(err)}`,
      });
      continue;
    }
    yaml[file] = parsed;
  }
  const templateFiles = files.templates.map((t) => t.name);
  const templates = compileTemplateSet(templateSources(files, issues), issues);
  const yamlOf = (f: string) => yaml[f as ConfigFileName];

  let valid: ConfigFilesData | undefined;
  if (CONFIG_FILE_NAMES.every((f) => yaml[f])) {
    const result = ConfigFiles.safeParse({ ...data, templates: templateFiles });
    if (result.success) valid = result.data;
    else issues.push(...locateZodIssues(result.error.issues, yamlOf));
  } else {
    // Some file is unreadable: still check the others on their own, to report all we can.
    for (const f of CONFIG_FILE_NAMES) {
      if (!yaml[f]) continue;
      const result = CONFIG_FILES[f].safeParse(data[f]);
      if (!result.success) issues.push(...locateZodIssues(result.error.issues, yamlOf, f));
    }
  }
  // Conditions are compiled whenever rules.yaml is valid on its own, so a CEL mistake is reported
  // together with problems in the other files rather than after they are fixed.
  const rulesFile =
    valid?.['rules.yaml'] ??
    (yaml['rules.yaml'] ? CONFIG_FILES['rules.yaml'].safeParse(data['rules.yaml']).data : undefined);
  const version = contentVersion(files);
  const compilation =
    rulesFile &&
    compileRules(rulesFile, {
      version,
      vips: valid?.['services.yaml'].vips ?? [],
      serviceSchema: ServiceSchema,
    });
  for (const p of compilation?.problems ?? []) {
    const rulesYaml = yaml['rules.yaml']!;
    const position =
      p.offset === undefined ? positionOf(rulesYaml, p.path) : positionInScalar(rulesYaml, p.path, p.offset);
    issues.push({ file: 'rules.yaml', ...position, path: p.path.join('.'), message: p.message });
  }
  if (!valid || !templates || !compilation || issues.length) throw new ConfigError(dir, issues);
  const { compiled } = compilation;

  return deepFreeze({
    dir,
    version,
    services: valid['services.yaml'],
    audiences: valid['audiences.yaml'],
    rules: valid['rules.yaml'],
    mappings: valid['mappings.yaml'],
    compiled,
    serviceIndex: indexServices(valid['services.yaml']),
    templates,
    templateFiles,
    loadedAt: now.toISOString(),
  });
}
