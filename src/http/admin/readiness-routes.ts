import express, { type Router } from 'express';
import { z } from 'zod';
import type { LoadedConfig } from '../../config/files/load-config.ts';
import type { ConnectionResult } from '../../connectors/checks.ts';
import { withTimeout } from '../../lib/with-timeout.ts';
import {
  channelSettings,
  READINESS_CHECKS,
  readiness,
  type ReadinessFacts,
  type ReadinessReport,
} from '../../process/readiness.ts';
import type { ConnectionChecker } from './connections-routes.ts';
import { EXACT_ROUTING, requireRole } from './require-role.ts';

/**
 * `GET /admin/readiness`: is each service prepared (process/readiness.ts, docs/process.md#readiness)?
 * Viewers may read it: it names settings and variables, never their values. The connection checks
 * it reuses (those of `mim-bridge doctor`) run at most once per READINESS_TTL_MS whoever asks, so the
 * API cannot be used to hammer the vendors; the metric never runs them and reads their last results.
 */

export const READINESS_TTL_MS = 60_000;
/** Reading the last drills from Redis: a route waits this long, then says they could not be read. */
const DRILL_READ_TIMEOUT_MS = 2_000;

export interface ReadinessSourceInput {
  readonly config: () => Pick<LoadedConfig, 'services' | 'audiences' | 'rules'>;
  /** The connection settings of the environment (SLACK_BOT_TOKEN, SMTP_URL, MAIL_FROM, TEAMS_WEBHOOK_URL). */
  readonly env: Parameters<typeof channelSettings>[0];
  /** The value of a variable config names (config/route-env.ts routeSecret); only its presence is used. */
  readonly routeSecret: (name: string) => string | undefined;
  /** The doctor's checks; without them every report is made offline. */
  readonly connections?: ConnectionChecker;
  readonly lastDrillAt: (serviceId: string) => Promise<Date | undefined>;
  readonly ttlMs?: number;
  readonly now?: () => number;
}

export interface ReadinessSource {
  /** With the connection checks (at most once per TTL). */
  report(): Promise<ReadinessReport>;
  /** Without running any check: the last connection results when there are some, else offline. */
  quick(drillTimeoutMs: number): Promise<ReadinessReport>;
}

export function readinessSource(input: ReadinessSourceInput): ReadinessSource {
  const ttlMs = input.ttlMs ?? READINESS_TTL_MS;
  const now = input.now ?? Date.now;
  let cached: { at: number; results: Promise<readonly ConnectionResult[]> } | undefined;
  let settled: readonly ConnectionResult[] | undefined;
  const connections = (): Promise<readonly ConnectionResult[]> | undefined => {
    if (!input.connections) return undefined;
    if (!cached || now() - cached.at >= ttlMs) {
      const results = input.connections();
      void results.then(
        (r) => {
          settled = r;
        },
        () => undefined,
      );
      cached = { at: now(), results };
    }
    return cached.results;
  };
  const facts = (results: readonly ConnectionResult[] | undefined): ReadinessFacts => ({
    config: input.config(),
    settings: channelSettings(input.env),
    routeSet: (name) => input.routeSecret(name) !== undefined,
    now: new Date(now()),
    ...(results ? { connections: results } : {}),
  });
  const bounded = (ms: number) => (id: string) =>
    withTimeout(input.lastDrillAt(id), ms, () => new Error('last drill read timed out'));
  return {
    report: async () => readiness(facts(await connections()), bounded(DRILL_READ_TIMEOUT_MS)),
    quick: (drillTimeoutMs) => readiness(facts(settled), bounded(drillTimeoutMs)),
  };
}

const Check = z.object({
  check: z.enum(READINESS_CHECKS),
  ok: z.boolean(),
  detail: z.string().describe('what was seen; names settings and variables, never their values'),
  fixes: z.array(z.string()).describe('one per problem; empty when ok'),
  offline: z.boolean().describe('made from config and environment alone, without the connection check'),
});

export const ReadinessAnswer = z.object({
  checkedAt: z.iso.datetime(),
  ready: z.boolean().describe('every service is ready'),
  tier1Ready: z.boolean().describe('every tier-1 service is ready (`mim-bridge readiness` exits 1 otherwise)'),
  online: z.boolean().describe('whether the connection checks of `mim-bridge doctor` were used'),
  offlineChecks: z.array(z.enum(READINESS_CHECKS)).describe('checks some service made from config alone'),
  services: z.array(
    z.object({
      service: z.string(),
      name: z.string(),
      tier: z.number().int(),
      ready: z.boolean(),
      checks: z.array(Check),
      targets: z
        .object({
          ackMs: z.number(),
          mobiliseMs: z.number(),
          firstCommsMs: z.number(),
          cadenceMs: z.number(),
          pirDueMs: z.number(),
        })
        .describe("the tier's process targets (rules.yaml tiers.<n>), in milliseconds"),
      lastDrillAt: z.iso.datetime().optional(),
    }),
  ),
});

export interface ReadinessDeps {
  /** Unset in a process that was not given one: the route answers 503. */
  readonly readiness?: ReadinessSource;
}

export function readinessRoutes(deps: ReadinessDeps): Router {
  const router = express.Router(EXACT_ROUTING);
  router.get('/admin/readiness', requireRole('viewer'), async (_req, res) => {
    if (!deps.readiness)
      return void res.status(503).json({ error: 'unavailable', reason: 'readiness is not wired in this process' });
    // The answer's shape is ReadinessAnswer (the integration test parses every answer with it).
    res.json(await deps.readiness.report());
  });
  return router;
}
