import { manualDeclare, type ManualDeps, type ManualResult } from './manual-actions.ts';

export interface DrillRequest {
  readonly serviceId: string;
  /** Who started it (the admin token's name, or the CLI's `--actor`). */
  readonly person: string;
  /** The exercise's title; without one, a simulated outage of the service. */
  readonly title?: string;
}

/**
 * An operator starts an exercise major incident (a drill): declared at once, as a person declares
 * one, so the real declare playbook, pages, messages, tickets and timers run. The record is marked
 * `exercise`, which keeps it apart from the service's real major incidents (store/mi-store.ts) and
 * marks everything it sends (actions/exercise-marking.ts).
 */
export async function startDrill(d: ManualDeps, req: DrillRequest): Promise<ManualResult> {
  const service = d.services(req.serviceId);
  const title = req.title ?? `Simulated outage of ${service?.name ?? req.serviceId}`;
  return manualDeclare(d, {
    serviceId: req.serviceId,
    title,
    person: req.person,
    reason: `exercise started by ${req.person}`,
    exercise: true,
  });
}
