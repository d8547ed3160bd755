import { realpath } from 'node:fs/promises';
import path from 'node:path';
import type { Request, Response } from 'express';
import { incidentKey } from '../../domain/incident-event.ts';
import { decide } from '../../orchestrator/decide.ts';
import { fromCel } from '../../rules/cel.ts';
import { BUSY_RETRY_AFTER_S, SandboxBusyError, SandboxFailedError, SandboxTimeoutError } from './sandbox/sandbox.ts';
import type { AdminDeps } from './deps.ts';
import { tooDeep, MAX_JSON_DEPTH } from '../../lib/json-depth.ts';
import { badRequest, DraftFiles, invalid, ValidateBody } from './schemas.ts';
import { simulationFiles } from './simulate-config.ts';
import { actionsFor } from './rules-would-do.ts';

/**
 * `rules/simulate` and `rules/validate`: what they evaluate or read runs in the rules sandbox
 * (http/admin/sandbox), a worker thread with a deadline, so neither can hold up webhooks or /readyz.
 */

/**
 * A full sandbox answers 503 with Retry-After (capacity: the same request may pass later); a task
 * stopped at its deadline 422 (the draft, event or files sent are too costly: bad input, not a
 * server fault); a crashed worker 503 (a fault the error log names).
 */
function sandboxRefusal(res: Response, err: unknown, what: string): void {
  if (err instanceof SandboxBusyError) {
    res
      .status(503)
      .set('retry-after', String(BUSY_RETRY_AFTER_S))
      .json({ error: 'sandbox_busy', reason: `too many ${what}s are waiting; try again in ${BUSY_RETRY_AFTER_S} s` });
  } else if (err instanceof SandboxTimeoutError) {
    res.status(422).json({
      error: 'sandbox_timeout',
      reason: `the ${what} ${err.message}: the draft's rules, the event or the files are too costly`,
      timeoutMs: err.timeoutMs,
    });
  } else if (err instanceof SandboxFailedError) {
    res.status(503).json({
      error: 'sandbox_failed',
      reason: `the ${what} failed in its worker thread (out of memory, or an error the log names); nothing was applied`,
    });
  } else {
    throw err;
  }
}

export async function simulateRules(deps: AdminDeps, req: Request, res: Response): Promise<void> {
  const deep = tooDeep(req.body);
  if (deep !== undefined)
    return void res
      .status(400)
      .json(invalid([{ path: deep, message: `nested more than ${MAX_JSON_DEPTH} levels deep` }]));
  const rawDraft = (req.body as { draft?: unknown } | undefined)?.draft;
  const draft = DraftFiles.safeParse(rawDraft);
  if (rawDraft !== undefined && !draft.success) return void res.status(400).json(badRequest(draft.error));
  const chosen = await simulationFiles(deps.config, draft.success ? draft.data : undefined);
  if (!chosen.ok) return void res.status(chosen.status).json(chosen.body);
  let outcome: Awaited<ReturnType<AdminDeps['sandbox']['simulate']>>;
  try {
    outcome = await deps.sandbox.simulate({ dir: chosen.dir, files: chosen.files, body: req.body ?? {} });
  } catch (err) {
    return sandboxRefusal(res, err, 'simulation');
  }
  if (!outcome.ok) return void res.status(outcome.status).json(outcome.body);
  const { simulation: sim, event, reopenWithinMinutes } = outcome;
  // What the orchestrator would do with it now, given the major incidents already open: read-only.
  const serviceId = sim.service?.id ?? null;
  const [linked, open, last] = await Promise.all([
    deps.store.findByRecord(incidentKey(event)),
    serviceId ? deps.store.openFor(serviceId) : undefined,
    serviceId ? deps.store.lastFor(serviceId) : undefined,
  ]);
  const wouldDo = decide({
    event,
    serviceId,
    verdict: sim.evaluation,
    reopenWithinMinutes,
    now: new Date(),
    ...(linked ? { linked } : {}),
    ...(open ? { open } : {}),
    ...(last ? { last } : {}),
  });
  res.json(fromCel({ ...sim, ...actionsFor(sim, wouldDo, event), wouldDo, draft: chosen.draft }));
}

/**
 * `dir` must be the config directory (MIM_CONFIG_DIR) or a folder inside it, compared after
 * symlinks are resolved. Anything else is refused alike, existing or not, so the answer tells
 * nothing about the rest of the file system.
 */
async function configSubdir(root: string, dir: string): Promise<string | undefined> {
  try {
    const [base, target] = await Promise.all([realpath(root), realpath(path.resolve(dir))]);
    return target === base || target.startsWith(base + path.sep) ? target : undefined;
  } catch {
    return undefined;
  }
}

export async function validateRules(deps: AdminDeps, req: Request, res: Response): Promise<void> {
  const body = ValidateBody.safeParse(req.body ?? {});
  if (!body.success) return void res.status(400).json(badRequest(body.error));
  const root = deps.config.current().dir;
  const dir = body.data.dir ?? root;
  const resolved = await configSubdir(root, dir);
  if (!resolved)
    return void res
      .status(400)
      .json(invalid([{ path: 'dir', message: 'must be the config directory (MIM_CONFIG_DIR) or a folder inside it' }]));
  let outcome: Awaited<ReturnType<AdminDeps['sandbox']['validate']>>;
  try {
    outcome = await deps.sandbox.validate(resolved);
  } catch (err) {
    return sandboxRefusal(res, err, 'validation');
  }
  if (outcome.valid)
    res.json({ valid: true, version: outcome.version, dir, active: outcome.version === deps.config.current().version });
  else res.status(422).json({ valid: false, dir, issues: outcome.issues });
}
