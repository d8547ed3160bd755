import type { LifecycleEffect, LifecycleState, LifecycleTrigger, TriggerKey } from '../../../src/domain/lifecycle.ts';

/**
 * The lifecycle as the tests expect it, written out by hand and never derived from the
 * implementation. A row per trigger key of the table, a column per state the move starts from;
 * a cell is the target state, `=` (a harmless repeat: no change) or `-` (refused).
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

const STATE_COLUMN: Record<LifecycleState, number> = {
  none: 0,
  candidate: 1,
  declared: 2,
  resolved: 3,
  closed: 4,
  rejected: 5,
  canceled: 6,
};

/** A row per trigger key (the first word), a column per state in `STATES` order. */
const GRID = [
  //                     none       candidate  declared   resolved   closed     rejected   canceled
  'rule.propose          candidate  =          =          -          -          =          =',
  'rule.declare          declared   declared   =          -          -          =          =',
  'source.major_proposed candidate  =          =          -          -          candidate  -',
  'source.major_accepted declared   declared   =          =          =          declared   -',
  'source.major_rejected -          rejected   -          -          -          =          -',
  'source.major_canceled -          canceled   canceled   -          -          -          =',
  'source.resolved       -          canceled   resolved   =          =          =          =',
  'source.closed         -          canceled   closed     closed     =          =          =',
  'source.reopened       -          =          =          declared   -          =          =',
  'source.canceled       -          canceled   canceled   -          -          =          =',
  'manual.declare        declared   declared   =          declared   -          declared   -',
  'manual.resolve        -          -          resolved   =          -          -          -',
  'manual.cancel         -          canceled   canceled   -          -          -          =',
  'manual.close          -          -          closed     closed     =          -          -',
  'pir.completed         -          -          -          closed     =          -          -',
];

export const STATES = Object.keys(STATE_COLUMN) as LifecycleState[];

const ROWS = new Map(GRID.map((line) => [line.split(/\s+/)[0], line.trim().split(/\s+/).slice(1)]));
for (const trigger of COLUMNS) {
  const cells = ROWS.get(trigger);
  if (cells?.length !== STATES.length) throw new Error(`row ${trigger} has ${cells?.length ?? 'no'} cells`);
}
if (ROWS.size !== COLUMNS.length) throw new Error(`${ROWS.size} rows for ${COLUMNS.length} trigger keys`);

export function expectedCell(state: LifecycleState, trigger: TriggerKey): string {
  return ROWS.get(trigger)![STATE_COLUMN[state]]!;
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
