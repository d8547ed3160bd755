import type { RulesFile } from '../config/files/schema.ts';
import { compileCel, type CelProgram } from './cel.ts';
import { durationMs } from './duration.ts';
import { leavesOf, type Leaf } from './explain.ts';

export interface CompiledRule {
  readonly id: string;
  readonly description: string;
  readonly when: string;
  readonly then: 'propose' | 'declare';
  readonly program: CelProgram;
  readonly leaves: readonly Leaf[];
}

export interface CompiledWindow {
  readonly id: string;
  readonly filter: string;
  readonly program: CelProgram;
  readonly durationMs: number;
}

export interface CompiledRules {
  readonly evaluation: RulesFile['evaluation'];
  readonly rules: readonly CompiledRule[];
  readonly windows: readonly CompiledWindow[];
}

export interface CompileProblem {
  readonly path: ReadonlyArray<string | number>;
  readonly message: string;
}

/** Compiles every condition once per config version; problems come back with their YAML path. */
export function compileRules(file: RulesFile): { compiled: CompiledRules; problems: CompileProblem[] } {
  const problems: CompileProblem[] = [];
  const attempt = <T>(path: ReadonlyArray<string | number>, fn: () => T): T | undefined => {
    try {
      return fn();
    } catch (err) {
      problems.push({ path, message: `CEL: ${(err as Error).message}` });
      return undefined;
    }
  };
  const rules: CompiledRule[] = [];
  file.rules.forEach((rule, i) => {
    if (!rule.enabled) return;
    const program = attempt(['rules', i, 'when'], () => compileCel(rule.when));
    if (program) rules.push({ id: rule.id, description: rule.description, when: rule.when, then: rule.then, program, leaves: leavesOf(program.ast) });
  });
  const windows: CompiledWindow[] = [];
  file.windows.forEach((w, i) => {
    const program = attempt(['windows', i, 'filter'], () => compileCel(w.filter));
    if (program) windows.push({ id: w.id, filter: w.filter, program, durationMs: durationMs(w.duration) });
  });
  return { compiled: { evaluation: file.evaluation, rules, windows }, problems };
}
