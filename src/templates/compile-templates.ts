import type { Liquid, Template } from 'liquidjs';
import { createLiquid } from './create-liquid.ts';
import { OUTPUT_ESCAPES, OUTPUT_TARGETS, type OutputTarget } from './output-targets.ts';
import { TemplateError } from './template-error.ts';

/**
 * Liquid templates for tickets and messages, in two registers: `business` (audiences: plain
 * language, no jargon) and `technical` (resolvers). Each is parsed once per output target
 * (output-targets.ts), since liquidjs binds output escaping when it parses.
 */

export const REGISTERS = ['business', 'technical'] as const;
export type Register = (typeof REGISTERS)[number];

/** What the shipped playbooks render; a template set missing one of these is refused. */
export const REQUIRED_TEMPLATES: readonly (readonly [Register, string])[] = [
  ['business', 'declared'],
  ['business', 'update'],
  ['business', 'resolved'],
  ['business', 'closed'],
  ['technical', 'declared'],
  ['technical', 'update'],
  ['technical', 'resolved'],
  ['technical', 'closed'],
  ['technical', 'jira-description'],
  ['technical', 'pir'],
  // Sent by the process timers (process/timer-fire.ts) to the people in the roles.
  ['technical', 'escalation'],
  ['technical', 'mobilisation'],
  ['technical', 'update-due'],
  ['technical', 'pir-overdue'],
];

export const TEMPLATE_NAME = /^[a-z0-9][a-z0-9-]*$/;

export interface TemplateSource {
  readonly register: Register;
  readonly name: string;
  readonly source: string;
  /** Shown in errors: the path under the templates directory. */
  readonly file: string;
}

export interface CompiledTemplate {
  readonly file: string;
  readonly byTarget: Readonly<Record<OutputTarget, Template[]>>;
}

export interface TemplateSet {
  /** The engine each target's templates were parsed with (its output escaping), to render them. */
  readonly engines: Readonly<Record<OutputTarget, Liquid>>;
  readonly templates: ReadonlyMap<string, CompiledTemplate>;
}

export const templateKey = (register: Register, name: string) => `${register}/${name}`;

function lineOf(err: unknown): number | undefined {
  const token = (err as { token?: { getPosition?: () => [number, number] } }).token;
  return token?.getPosition?.()[0];
}

/** Parses every source; all faults are reported together, each with its file and line. */
export function compileTemplates(sources: readonly TemplateSource[]): TemplateSet {
  const engines = Object.fromEntries(
    OUTPUT_TARGETS.map((target) => [target, createLiquid(OUTPUT_ESCAPES[target])]),
  ) as Record<OutputTarget, Liquid>;
  const templates = new Map<string, CompiledTemplate>();
  const faults: TemplateError[] = [];
  for (const s of sources) {
    if (!TEMPLATE_NAME.test(s.name)) {
      faults.push(
        new TemplateError('TEMPLATE_PARSE', `${s.file}: template names are lower-case letters, digits and dashes`, {
          file: s.file,
        }),
      );
      continue;
    }
    try {
      const byTarget = Object.fromEntries(
        OUTPUT_TARGETS.map((target) => [target, engines[target].parse(s.source, s.file)]),
      ) as Record<OutputTarget, Template[]>;
      templates.set(templateKey(s.register, s.name), { file: s.file, byTarget });
    } catch (err) {
      const line = lineOf(err);
      const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
      faults.push(
        new TemplateError(
          'TEMPLATE_PARSE',
          `${s.file}${line ? `:${line}` : ''}: ${reason}`,
          { file: s.file, line },
          err,
        ),
      );
    }
  }
  for (const [register, name] of REQUIRED_TEMPLATES) {
    if (
      !templates.has(templateKey(register, name)) &&
      !sources.some((s) => s.register === register && s.name === name)
    ) {
      faults.push(
        new TemplateError('TEMPLATE_MISSING', `${register}/${name}.liquid is required`, {
          file: `${register}/${name}.liquid`,
        }),
      );
    }
  }
  if (faults.length === 1) throw faults[0];
  if (faults.length > 1) throw new AggregateError(faults, faults.map((f) => f.message).join('\n'));
  return { engines, templates };
}
