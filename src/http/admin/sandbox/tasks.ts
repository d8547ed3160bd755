import { simulate, type Simulation } from '../../../orchestrator/simulate.ts';
import { buildConfig, type LoadedConfig } from '../../../config/files/build-config.ts';
import { ConfigError, type ConfigIssue } from '../../../config/files/config-error.ts';
import { loadConfig } from '../../../config/files/load-config.ts';
import { contentVersion } from '../../../config/files/read-config-dir.ts';
import { toDirFiles, type VersionFiles } from '../../../config/versions/version-files.ts';
import type { IncidentEvent } from '../../../domain/incident-event.ts';
import { fromCel } from '../../../rules/cel.ts';
import { parseSimulate } from '../simulate-request.ts';

/**
 * The work the rules sandbox does off the web thread (sandbox.ts): everything that evaluates
 * rules someone sent or reads a directory someone named. Plain data in and out (structured
 * clone); the same code runs in a test without a worker.
 */
export type SandboxTask =
  | { readonly kind: 'simulate'; readonly dir: string; readonly files: VersionFiles; readonly body: unknown }
  | { readonly kind: 'validate'; readonly dir: string };

export type SimulateOutcome =
  | {
      readonly ok: true;
      readonly simulation: Simulation;
      readonly event: IncidentEvent;
      readonly reopenWithinMinutes: number;
    }
  | { readonly ok: false; readonly status: 400 | 422; readonly body: unknown };

export type ValidateOutcome =
  | { readonly valid: true; readonly version: string }
  | { readonly valid: false; readonly issues: readonly ConfigIssue[] };

// A worker serves one version after another (the active one, drafts of it): the last few stay built.
const BUILT = 4;
const built = new Map<string, LoadedConfig>();

function configOf(dir: string, files: VersionFiles): LoadedConfig {
  const bytes = toDirFiles(dir, files);
  const key = `${dir}\0${contentVersion(bytes)}`;
  let config = built.get(key);
  if (!config) {
    config = buildConfig(bytes);
    if (built.size >= BUILT) built.delete(built.keys().next().value!);
    built.set(key, config);
  }
  return config;
}

/** The largest simulate answer the sandbox hands back to the web thread. */
export const MAX_SIMULATION_BYTES = 2 * 1024 * 1024;

export function simulateTask(task: Extract<SandboxTask, { kind: 'simulate' }>): SimulateOutcome {
  let config: LoadedConfig;
  try {
    config = configOf(task.dir, task.files);
  } catch (err) {
    if (err instanceof ConfigError)
      return { ok: false, status: 422, body: { error: 'invalid_config', issues: err.issues } };
    throw err;
  }
  const input = parseSimulate(
    task.body,
    config.compiled.windows.map((w) => w.id),
  );
  if (!input.ok) return input;
  const { event, window } = input;
  const simulation = simulate(
    config,
    { event, ...(input.normalizedFrom ? { normalizedFrom: input.normalizedFrom } : {}) },
    { window },
  );
  // Measured here, in the worker: an answer this large would be copied to and serialised on the
  // web thread. Explanations are clipped (rules/explain.ts), so only a draft built to blow it up gets here.
  const bytes = Buffer.byteLength(JSON.stringify(fromCel(simulation)));
  if (bytes > MAX_SIMULATION_BYTES) {
    return {
      ok: false,
      status: 422,
      body: {
        error: 'simulation_too_large',
        reason: `the simulation's answer would be ${bytes} bytes, over ${MAX_SIMULATION_BYTES}: fewer rules or a smaller event`,
      },
    };
  }
  return { ok: true, simulation, event, reopenWithinMinutes: config.rules.reopen.withinMinutes };
}

export async function validateTask(task: Extract<SandboxTask, { kind: 'validate' }>): Promise<ValidateOutcome> {
  try {
    return { valid: true, version: (await loadConfig(task.dir)).version };
  } catch (err) {
    if (err instanceof ConfigError) return { valid: false, issues: err.issues };
    throw err;
  }
}
