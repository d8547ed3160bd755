import type { LifecycleEffect, LifecycleState, LifecycleTrigger, TriggerKey } from '../../../src/domain/lifecycle.ts';

/**
 * The lifecycle as the tests expect it, written out by hand and never derived from the
 * implementation. Columns are the table's trigger keys; a cell is the target state,
 * `=` (a harmless repeat: no change) or `-` (refused).
 */
export const COLUMNS = [
  'rule.propose',
  'rule.declare',
  'source.major_proposed',
  'source.major_accepted',
  'source.major_rejected',
  'source.major_canceled',
  'source.resolved',
  'source.closed',
  'source.reopened',
  'source.canceled',
  'manual.declare',
  'manual.resolve',
  'manual.cancel',
  'manual.close',
  'pir.completed',
] as const satisfies readonly TriggerKey[];

const GRID: Record<LifecycleState, string> = {
  //          r.propose  r.declare  mj.proposed mj.accepted mj.rejected mj.canceled s.resolved s.closed s.reopened s.canceled m.declare m.resolve m.cancel m.close pir
  none: 'candidate  declared   candidate   declared    -           -           -          -        -          -          declared  -         -        -       -',
  candidate:
    '=          declared   =           declared    rejected    canceled    canceled   canceled =          canceled   declared  -         canceled -       -',
  declared:
    '=          =          =           =           -           canceled    resolved   closed   =          canceled   =         resolved  canceled closed  -',
  resolved:
    '-          -          -           =           -           -           =          closed   declared   -          declared  =         -        closed  closed',
  closed:
    '-          -          -           =           -           -           =          =        -          -          -         -         -        =       =',
  rejected:
    '=          =          candidate   declared    =           -           =          =        =          =          declared  -         -        -       -',
  canceled:
    '=          =          -           -           -           =           =          =        =          =          -         -         =        -       -',
};

export const STATES = Object.keys(GRID) as LifecycleState[];

export function expectedCell(state: LifecycleState, trigger: TriggerKey): string {
  const cells = GRID[state].trim().split(/\s+/);
  if (cells.length !== COLUMNS.length) throw new Error(`row ${state} has ${cells.length} cells`);
  return cells[COLUMNS.indexOf(trigger as (typeof COLUMNS)[number])]!;
}

/** What each move must ask the playbooks for. */
export const EXPECTED_EFFECTS: Record<string, LifecycleEffect[]> = {
  'none>candidate': ['propose'],
  'none>declared': ['declare'],
  'candidate>declared': ['declare'],
  'candidate>rejected': ['reject'],
  'candidate>canceled': ['cancel'],
  'declared>resolved': ['resolve'],
  'declared>closed': ['resolve', 'close'],
  'declared>canceled': ['cancel'],
  'resolved>declared': ['reopen'],
  'resolved>closed': ['close'],
  'rejected>candidate': ['propose'],
  'rejected>declared': ['declare'],
};

/** Every move the table makes, as (from, to, trigger). */
export const EXPECTED_EDGES = STATES.flatMap((from) =>
  COLUMNS.flatMap((trigger) => {
    const cell = expectedCell(from, trigger);
    return cell === '=' || cell === '-' ? [] : [{ from, to: cell, trigger }];
  }),
);

const actor = { type: 'system', id: 'test' } as const;
const at = '2026-11-20T10:00:00Z';

/** A valid trigger object for a table column, built by hand. */
export function sampleTrigger(key: TriggerKey): LifecycleTrigger {
  switch (key) {
    case 'rule.propose':
    case 'rule.declare':
      return { type: key, ruleId: 'p1-critical-service', actor: { type: 'rule', id: 'p1-critical-service' }, at };
    case 'source.major_proposed':
      return {
        type: 'source.major_state',
        value: 'proposed',
        actor: { type: 'source', id: 'servicenow/mim.manager' },
        at,
      };
    case 'source.major_accepted':
      return {
        type: 'source.major_state',
        value: 'accepted',
        actor: { type: 'source', id: 'servicenow/mim.manager' },
        at,
      };
    case 'source.major_rejected':
      return {
        type: 'source.major_state',
        value: 'rejected',
        actor: { type: 'source', id: 'servicenow/mim.manager' },
        at,
      };
    case 'source.major_canceled':
      return {
        type: 'source.major_state',
        value: 'canceled',
        actor: { type: 'source', id: 'servicenow/mim.manager' },
        at,
      };
    case 'source.resolved':
    case 'source.closed':
    case 'source.reopened':
    case 'source.canceled':
      return { type: key, source: 'jira', actor: { type: 'source', id: 'jira/agent' }, at };
    case 'manual.declare':
    case 'manual.resolve':
    case 'manual.cancel':
    case 'manual.close':
      return { type: key, reason: 'bridge call decision', actor: { type: 'person', id: 'ada@example.edu' }, at };
    case 'pir.completed':
      return { type: key, actor, at };
  }
}
