import {
  timelineEntry,
  type Actor,
  type MajorIncident,
  type Roles,
  type TimelineEntry,
} from '../domain/major-incident.ts';
import { affectedAudiences } from '../rules/plan-actions.ts';
import { changeAudiences, sameChanges, type AudienceRequest } from './audience-changes.ts';
import type { MiStore } from '../store/mi-store.ts';
import { patchRecord } from './patch-record.ts';

export type ChangeResult =
  | {
      readonly ok: true;
      readonly mi: MajorIncident;
      readonly changed: boolean;
      readonly before: unknown;
      readonly after: unknown;
    }
  | { readonly ok: false; readonly code: 'NOT_FOUND' | 'CONFLICT' };

export interface ChangeDeps {
  readonly store: MiStore<MajorIncident, TimelineEntry>;
  readonly version: string;
  readonly now: Date;
}

const ROLE_KEYS = ['majorIncidentManager', 'commsLead', 'serviceOwner', 'resolverGroup'] as const;

/** Only the roles that change, as `{from, to}` for the timeline. */
function diffRoles(before: Roles, wanted: Roles): { from: Roles; to: Roles } {
  const from: Record<string, string | null> = {};
  const to: Record<string, string> = {};
  for (const k of ROLE_KEYS) {
    const v = wanted[k];
    if (v !== undefined && v !== before[k]) {
      from[k] = before[k] ?? null;
      to[k] = v;
    }
  }
  return { from: from as Roles, to };
}

/** A person changing roles through the admin API: the record (compare-and-set, retried) and `roles.changed`. */
export async function changeRoles(
  d: ChangeDeps,
  id: string,
  wanted: Roles,
  person: string,
  reason?: string,
): Promise<ChangeResult> {
  let diff = { from: {} as Roles, to: {} as Roles };
  const result = await patchRecord(d.store, id, (mi) => {
    diff = diffRoles(mi.roles, wanted);
    return Object.keys(diff.to).length
      ? { ...mi, roles: { ...mi.roles, ...diff.to }, updatedAt: d.now.toISOString() }
      : undefined;
  });
  if (result === 'not_found') return { ok: false, code: 'NOT_FOUND' };
  if (result === 'conflict') return { ok: false, code: 'CONFLICT' };
  if (result === 'unchanged') {
    const mi = (await d.store.get(id))!;
    return { ok: true, mi, changed: false, before: mi.roles, after: mi.roles };
  }
  const actor: Actor = { type: 'person', id: person };
  await d.store.appendTimeline(id, [
    timelineEntry({
      at: d.now.toISOString(),
      kind: 'roles.changed',
      actor,
      detail: { ...diff, by: person, ...(reason ? { reason } : {}) },
      configVersion: d.version,
    }),
  ]);
  return { ok: true, mi: result.after, changed: true, before: result.before.roles, after: result.after.roles };
}

/**
 * A person adding or removing affected audiences: stored on the record, `audiences.changed` with
 * what the next `notify audiences: all` will reach. Messages already sent are not repeated.
 */
export async function changeMiAudiences(
  d: ChangeDeps,
  id: string,
  serviceAudiences: (serviceId: string) => readonly string[],
  req: AudienceRequest,
  person: string,
  reason?: string,
): Promise<ChangeResult> {
  const result = await patchRecord(d.store, id, (mi) => {
    const next = changeAudiences(mi.audiences, serviceAudiences(mi.serviceId), req);
    return sameChanges(mi.audiences, next) ? undefined : { ...mi, audiences: next, updatedAt: d.now.toISOString() };
  });
  if (result === 'not_found') return { ok: false, code: 'NOT_FOUND' };
  if (result === 'conflict') return { ok: false, code: 'CONFLICT' };
  const mi = result === 'unchanged' ? (await d.store.get(id))! : result.after;
  const audiences = (m: MajorIncident) => affectedAudiences(serviceAudiences(m.serviceId), m.audiences);
  if (result === 'unchanged') return { ok: true, mi, changed: false, before: audiences(mi), after: audiences(mi) };
  const [before, after] = [audiences(result.before), audiences(result.after)];
  await d.store.appendTimeline(id, [
    timelineEntry({
      at: d.now.toISOString(),
      kind: 'audiences.changed',
      actor: { type: 'person', id: person },
      detail: {
        add: req.add,
        remove: req.remove,
        from: before,
        to: after,
        added: mi.audiences?.added ?? [],
        removed: mi.audiences?.removed ?? [],
        by: person,
        ...(reason ? { reason } : {}),
      },
      configVersion: d.version,
    }),
  ]);
  return { ok: true, mi, changed: true, before, after };
}
