import express, { type Router } from 'express';
import { z } from 'zod';
import { runChecks, type ConnectionResult, type ConnectionsInput, type NamedRoutes } from '../../connectors/checks.ts';
import { CONNECTOR_VENDORS } from '../../connectors/connector-error.ts';
import { EXACT_ROUTING, requireRole } from './require-role.ts';

/**
 * `GET /admin/connections`: the connection checks of `mim-bridge doctor` (connectors/checks.ts)
 * for the console. Viewers may read it: each result says what was checked and the fix, never a
 * secret. The checks run at most once per CONNECTIONS_TTL_MS whoever asks and however often, and
 * callers during a run share it, so the API cannot be used to hammer the vendors.
 */

export const CONNECTIONS_TTL_MS = 60_000;

export type ConnectionChecker = () => Promise<readonly ConnectionResult[]>;

export interface ConnectionsDeps {
  /** Runs the checks; unset in a process that was not given one (the answer then lists none). */
  readonly connections?: ConnectionChecker;
}

export const ConnectionsAnswer = z.object({
  ok: z.boolean().describe('false when a configured connection failed'),
  checkedAt: z.iso.datetime().optional().describe('when the checks ran; absent when none ran'),
  nextCheckAfter: z.iso.datetime().optional().describe('the checks are not run again before this'),
  connections: z.array(
    z.object({
      vendor: z.enum(CONNECTOR_VENDORS),
      status: z.enum(['ok', 'failed', 'not_configured']),
      detail: z.string().describe('what was checked and seen (no secrets)'),
      fix: z.string().optional().describe('for a failure: the setting to change'),
      code: z.string().optional(),
      durationMs: z.number(),
    }),
  ),
});

/** The checks of the running service: its environment, and the routes its current config names. */
export function connectionChecker(
  input: Omit<ConnectionsInput, 'config'> & { readonly config: () => NamedRoutes },
): ConnectionChecker {
  return () => runChecks({ ...input, config: input.config() });
}

interface Cached {
  readonly at: number;
  readonly results: Promise<readonly ConnectionResult[]>;
}

export function connectionsRoutes(
  deps: ConnectionsDeps,
  opts: { readonly ttlMs?: number; readonly now?: () => number } = {},
): Router {
  const ttlMs = opts.ttlMs ?? CONNECTIONS_TTL_MS;
  const now = opts.now ?? Date.now;
  let cached: Cached | undefined;
  const router = express.Router(EXACT_ROUTING);
  router.get('/admin/connections', requireRole('viewer'), async (_req, res) => {
    if (!deps.connections) return void res.json({ ok: true, connections: [] });
    if (!cached || now() - cached.at >= ttlMs) cached = { at: now(), results: deps.connections() };
    const { at, results } = cached;
    const connections = await results;
    res.json({
      ok: connections.every((c) => c.status !== 'failed'),
      checkedAt: new Date(at).toISOString(),
      nextCheckAfter: new Date(at + ttlMs).toISOString(),
      connections: [...connections],
    } satisfies z.infer<typeof ConnectionsAnswer>);
  });
  return router;
}
