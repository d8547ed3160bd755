import type { z } from 'zod';
import { CelCompileError, compileCel, factEnvironment, typedContext, type CelContext, type CelProgram } from './cel.ts';
import { celSchemaOf } from './fact-types.ts';
import { costProblem, totalCostProblem } from './cost-limits.ts';
import { estimateCost } from './cost.ts';
import { durationMs } from '../lib/duration.ts';
import { explainPlan, type ExplainPlan } from './explain.ts';
import { compileFastPath, type FastPath } from './fast-path.ts';

/**
 * What rules.yaml gives the compiler. config/files/schema-rules.ts validates the file; rules/
 * names only the parts it reads, so the arrow points from config to rules and never back.
 */
export interface RulesSource {
  readonly evaluation: 'first-match' | 'strongest';
  readonly rules: readonly {
    readonly id: string;
    readonly description: string;
    readonly when: string;
    readonly then: 'propose' | 'declare';
    readonly enabled: boolean;
  }[];
  readonly windows: readonly {
    readonly id: string;
    readonly filter: string;
    readonly duration: string;
    readonly per: 'service';
  }[];
}

export interface CompiledRule {
  readonly id: string;
  readonly description: string;
  readonly when: string;
  readonly then: 'propose' | 'declare';
  readonly program: CelProgram;
  /** The condition's parts and connectives, for explanations. */
  readonly explain: ExplainPlan;
  /** Decides the cheap cases without the CEL library (fast-path.ts); absent when none apply. */
  readonly fastPath?: FastPath;
}

export interface CompiledWindow {
  readonly id: string;
  readonly filter: string;
  readonly per: 'service';
  readonly durationMs: number;
  readonly program: CelProgram;
}

export interface CompiledRules {
  /** The config version the rules came from; every evaluation reports it. */
  readonly version: string;
  readonly evaluation: RulesSource['evaluation'];
  /** Enabled rules, in file order. */
  readonly rules: readonly CompiledRule[];
  /** Ids of rules with `enabled: false`: checked, never evaluated. */
  readonly disabled: readonly string[];
  readonly windows: readonly CompiledWindow[];
  /** `vips` from services.yaml, the CEL variable of the same name. */
  readonly vips: readonly string[];
  /** The facts converted once per event to the types the conditions were checked against (cel.ts typedContext). */
  readonly typed?: (ctx: CelContext) => CelContext;
}

export interface CompileProblem {
  /** Path inside rules.yaml, `['rules', 2, 'when']`. */
  readonly path: ReadonlyArray<string | number>;
  /** Character offset inside the expression, when known. */
  readonly offset?: number;
  readonly message: string;
}

export interface CompileOptions {
  readonly version?: string;
  readonly vips?: readonly string[];
  /**
   * The catalogue entry's schema (config/files/schema-services.ts), so `service.<field>` is checked against it.
   * Passed in rather than imported: rules/ never depends on config/.
   */
  readonly serviceSchema: z.ZodType;
}

/**
 * Compiles every condition once per config version; the programs are then evaluated per event.
 * Disabled rules are compiled too, so enabling one later cannot break a running config.
 */
export function compileRules(
  file: RulesSource,
  opts: CompileOptions,
): { compiled: CompiledRules; problems: CompileProblem[] } {
  const problems: CompileProblem[] = [];
  const env = factEnvironment({ service: celSchemaOf(opts.serviceSchema), windows: file.windows.map((w) => w.id) });
  const total = { fixed: 0, perChar: 0 };
  const attempt = (path: ReadonlyArray<string | number>, expression: string, runs = true): CelProgram | undefined => {
    let program: CelProgram;
    try {
      program = compileCel(expression, 'bool', env);
    } catch (err) {
      const offset = err instanceof CelCompileError ? err.offset : undefined;
      problems.push({ path, message: `CEL: ${(err as Error).message}`, ...(offset === undefined ? {} : { offset }) });
      return undefined;
    }
    // Every condition is bounded, disabled ones too (enabling one must not break a config); only those that run count
    // in the total.
    const cost = estimateCost(program.ast, { vips: opts.vips?.length ?? 0 });
    const tooCostly = costProblem(cost);
    if (tooCostly) {
      problems.push({
        path,
        message: `CEL: ${tooCostly.message}`,
        ...(tooCostly.offset === undefined ? {} : { offset: tooCostly.offset }),
      });
      return undefined;
    }
    if (runs) {
      total.fixed += cost.fixed;
      total.perChar += cost.perChar;
    }
    return program;
  };
  const rules: CompiledRule[] = [];
  const disabled: string[] = [];
  file.rules.forEach((rule, i) => {
    const program = attempt(['rules', i, 'when'], rule.when, rule.enabled);
    if (!rule.enabled) disabled.push(rule.id);
    if (!program || !rule.enabled) return;
    const fastPath = compileFastPath(program.ast);
    rules.push({
      id: rule.id,
      description: rule.description,
      when: rule.when,
      then: rule.then,
      program,
      explain: explainPlan(program.ast, env),
      ...(fastPath ? { fastPath } : {}),
    });
  });
  const windows: CompiledWindow[] = [];
  file.windows.forEach((w, i) => {
    const program = attempt(['windows', i, 'filter'], w.filter);
    if (program) windows.push({ id: w.id, filter: w.filter, per: w.per, durationMs: durationMs(w.duration), program });
  });
  const together = totalCostProblem(total);
  if (together) problems.push({ path: ['rules'], message: together });
  const compiled = {
    version: opts.version ?? 'unversioned',
    evaluation: file.evaluation,
    rules,
    disabled,
    windows,
    vips: opts.vips ?? [],
    typed: typedContext(env),
  };
  return { compiled, problems };
}
