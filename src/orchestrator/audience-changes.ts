import type { AudienceChanges } from '../rules/plan-actions.ts';

export interface AudienceRequest {
  readonly add: readonly string[];
  readonly remove: readonly string[];
}

/**
 * The hand-made audience changes after a request: an added audience the service already has is
 * not stored (it is told anyway) but undoes an earlier removal; removing an audience that was
 * added undoes the addition; removing one of the service's is recorded. Pure; ids are checked
 * against audiences.yaml by the caller.
 */
export function changeAudiences(
  current: AudienceChanges | undefined,
  serviceAudiences: readonly string[],
  req: AudienceRequest,
): { added: string[]; removed: string[] } {
  const ofService = new Set(serviceAudiences);
  const add = new Set(req.add);
  const remove = new Set(req.remove);
  const added = [...new Set([...(current?.added ?? []), ...req.add.filter((a) => !ofService.has(a))])].filter(
    (a) => !remove.has(a),
  );
  const removed = [...new Set([...(current?.removed ?? []), ...req.remove.filter((a) => ofService.has(a))])].filter(
    (a) => !add.has(a),
  );
  return { added, removed };
}

export const sameChanges = (a: AudienceChanges | undefined, b: AudienceChanges) =>
  JSON.stringify({ added: a?.added ?? [], removed: a?.removed ?? [] }) === JSON.stringify(b);
