import { z } from 'zod';
import { IncidentEvent } from '../../domain/incident-event.ts';
import { MI_STATES } from '../../domain/major-incident.ts';

export const Reason = z.object({
  reason: z.string().trim().min(1, 'say why').max(2000),
  actor: z.string().trim().min(1).max(200).optional(),
});

export const DeclareBody = Reason.extend({
  serviceId: z.string().min(1),
  title: z.string().trim().min(1).max(500),
});

export const SimulateBody = z.object({
  event: IncidentEvent,
  window: z.record(z.string(), z.number().int().min(0)).default({}),
});

export const ValidateBody = z.object({ dir: z.string().min(1).optional() });

export const ListQuery = z.object({
  state: z.enum(MI_STATES).optional(),
  service: z.string().optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** A zod failure as the 400 every admin endpoint answers: the path of the first bad field, and all issues. */
export function badRequest(error: z.ZodError) {
  const issues = error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message }));
  return { error: 'invalid_request', field: issues[0]?.path ?? '(root)', issues };
}
