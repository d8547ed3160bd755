import { z } from 'zod';
import { IncidentEvent, Source } from '../../domain/incident-event.ts';
import { MI_STATES } from '../../domain/major-incident.ts';

export const Reason = z.object({
  reason: z.string().trim().min(1, 'say why').max(2000),
  actor: z.string().trim().min(1).max(200).optional(),
});

export const DeclareBody = Reason.extend({
  serviceId: z.string().trim().min(1),
  title: z.string().trim().min(1).max(500),
  origin: z
    .object({
      source: Source,
      recordId: z.string().trim().min(1).max(200),
      number: z.string().trim().min(1).max(100).optional(),
    })
    .optional(),
});

/** `{window_id: count}` or `{window_id: {count, distinctCallers}}`; callers default to the count. */
const WindowCounts = z
  .record(
    z.string(),
    z.union([
      z.number().int().min(0),
      z.object({ count: z.number().int().min(0), distinctCallers: z.number().int().min(0).optional() }),
    ]),
  )
  .default({});

/** A normalized IncidentEvent, as the orchestrator sees it. */
/** Files of a draft config for a dry run: file name → new content (null removes a template); the rest stays active. */
export const DraftFiles = z
  .record(
    z.string().min(1).max(200),
    z
      .string()
      .max(64 * 1024)
      .nullable(),
  )
  .optional()
  .describe('simulate against a draft: the active files with these replaced (validated, never applied)');

export const SimulateEventBody = z.object({ event: IncidentEvent, window: WindowCounts, draft: DraftFiles });

/** A raw vendor webhook body, normalized by the same code the webhooks use (signatures are not checked). */
export const SimulatePayloadBody = z.object({
  source: Source,
  payload: z.record(z.string(), z.unknown()),
  window: WindowCounts,
  draft: DraftFiles,
});

export const ValidateBody = z.object({ dir: z.string().trim().min(1).optional() });

export const ListQuery = z.object({
  state: z.enum(MI_STATES).optional(),
  service: z.string().optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

interface Issue {
  readonly path: string;
  readonly message: string;
}

/** The 400 every admin endpoint answers for bad input: the path of the first bad field, and all issues. */
export function invalid(issues: readonly Issue[]) {
  return { error: 'invalid_request', field: issues[0]?.path ?? '(root)', issues };
}

export function badRequest(error: z.ZodError, prefix = '') {
  return invalid(
    error.issues.map((i) => ({
      path: [prefix, ...i.path.map(String)].filter(Boolean).join('.') || '(root)',
      message: i.message,
    })),
  );
}

/** `GET /admin/report`: major incidents created in [from, to]; the route defaults to the last 30 days. */
export const ReportQuery = z.object({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});
