import { Liquid, type Template } from 'liquidjs';
import { TemplateError } from './template-error.ts';

/**
 * Liquid templates for tickets and messages, in two registers: `business` (audiences: plain
 * language, no jargon) and `technical` (resolvers). Choices: a missing variable renders empty
 * (a half-filled update beats none during an incident), an unknown filter fails at load, so a
 * typo is caught by `rules check`/start-up rather than mid-incident. https://liquidjs.com/tutorials/options.html
 */

export const REGISTERS = ['business', 'technical'] as const;
export type Register = (typeof REGISTERS)[number];

/** What the shipped playbooks render; a template set missing one of these is refused. */
export const REQUIRED_TEMPLATES: readonly (readonly [Register, string])[] = [
  ['business', 'declared'], ['business', 'update'], ['business', 'resolved'], ['business', 'closed'],
  ['technical', 'declared'], ['technical', 'update'], ['technical', 'resolved'], ['technical', 'closed'],
  ['technical', 'jira-description'], ['technical', 'pir'],
  // Sent by the process timers (orchestrator/process/timer-fire.ts) to the people in the roles.
  ['technical', 'escalation'], ['technical', 'mobilisation'], ['technical', 'update-due'], ['technical', 'pir-overdue'],
];

export const TEMPLATE_NAME = /^[a-z0-9][a-z0-9-]*$/;

/** Admins edit templates: bound what one may cost (characters parsed, milliseconds and memory rendering). */
export const PARSE_LIMIT_CHARS = 100_000;
export const RENDER_LIMIT_MS = 1_000;
export const MEMORY_LIMIT = 10_000_000;

export interface TemplateSource {
  readonly register: Register;
  readonly name: string;
  readonly source: string;
  /** Shown in errors: the path under the templates directory. */
  readonly file: string;
}

export interface TemplateSet {
  readonly liquid: Liquid;
  readonly templates: ReadonlyMap<string, { readonly file: string; readonly template: Template[] }>;
}

export const templateKey = (register: Register, name: string) => `${register}/${name}`;

export function createLiquid(): Liquid {
  return new Liquid({
    strictVariables: false,
    strictFilters: true,
    ownPropertyOnly: true,
    // Dates render in UTC unless a template says otherwise; the host's zone must not leak in.
    timezoneOffset: 0,
    parseLimit: PARSE_LIMIT_CHARS,
    renderLimit: RENDER_LIMIT_MS,
    memoryLimit: MEMORY_LIMIT,
  });
}

function lineOf(err: unknown): number | undefined {
  const token = (err as { token?: { getPosition?: () => [number, number] } }).token;
  return token?.getPosition?.()[0];
}

/** Parses every source; all faults are reported together, each with its file and line. */
export function compileTemplates(sources: readonly TemplateSource[]): TemplateSet {
  const liquid = createLiquid();
  const templates = new Map<string, { file: string; template: Template[] }>();
  const faults: TemplateError[] = [];
  for (const s of sources) {
    if (!TEMPLATE_NAME.test(s.name)) {
      faults.push(new TemplateError('TEMPLATE_PARSE', `${s.file}: template names are lower-case letters, digits and dashes`, { file: s.file }));
      continue;
    }
    try {
      templates.set(templateKey(s.register, s.name), { file: s.file, template: liquid.parse(s.source, s.file) });
    } catch (err) {
      const line = lineOf(err);
      const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
      faults.push(new TemplateError('TEMPLATE_PARSE', `${s.file}${line ? `:${line}` : ''}: ${reason}`, { file: s.file, line }, err));
    }
  }
  for (const [register, name] of REQUIRED_TEMPLATES) {
    if (!templates.has(templateKey(register, name)) && !sources.some((s) => s.register === register && s.name === name)) {
      faults.push(new TemplateError('TEMPLATE_MISSING', `${register}/${name}.liquid is required`, { file: `${register}/${name}.liquid` }));
    }
  }
  if (faults.length === 1) throw faults[0];
  if (faults.length > 1) throw new AggregateError(faults, faults.map((f) => f.message).join('\n'));
  return { liquid, templates };
}
