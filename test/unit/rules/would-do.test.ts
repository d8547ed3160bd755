import { describe, expect, it } from 'vitest';
import { actionsFor } from '../../../src/http/admin/rules-would-do.ts';
import type { IncidentEvent } from '../../../src/domain/incident-event.ts';
import type { Simulation } from '../../../src/orchestrator/simulate.ts';

/**
 * Issue #18: the simulator said "would do now: attach" next to the declare playbook's actions. The actions it lists
 * now follow what the orchestrator would do: attaching to an open major incident only links the child.
 */
const event = {
  source: 'servicenow',
  recordId: 'sys-1',
  number: 'INC0010042',
} as IncidentEvent;
const declarePlaybook = [
  { do: 'pagerduty.trigger', majorIncidentId: 'MI-SIMULATED', effect: 'declare' },
  { do: 'slack.post', majorIncidentId: 'MI-SIMULATED', effect: 'declare', channel: '#major-incidents' },
] as unknown as Simulation['actions'];
const sim = { actions: declarePlaybook, actionsWhen: 'now' } as Simulation;
const link = {
  do: 'servicenow.link_child',
  majorIncidentId: 'MI-7',
  effect: 'attach',
  childSysId: 'sys-1',
  childNumber: 'INC0010042',
};

describe('the actions a simulation lists', () => {
  it('are the declare playbook when a major incident would be created', () => {
    expect(actionsFor(sim, { kind: 'create', trigger: 'rule.declare' }, event)).toEqual({
      actions: declarePlaybook,
      actionsWhen: 'now',
    });
    expect(actionsFor(sim, { kind: 'create', trigger: 'rule.propose' }, event).actionsWhen).toBe('on-acceptance');
  });

  it('are only the child link when the event would be attached to the open one', () => {
    expect(actionsFor(sim, { kind: 'attach', miId: 'MI-7' }, event)).toEqual({ actions: [link], actionsWhen: 'now' });
  });

  it('are the declare playbook and the link when attaching declares the open candidate', () => {
    expect(actionsFor(sim, { kind: 'attach', miId: 'MI-7', then: 'rule.declare' }, event).actions).toEqual([
      ...declarePlaybook,
      link,
    ]);
  });

  it('are none when nothing would happen, and not listed for a move of an existing one', () => {
    expect(actionsFor(sim, { kind: 'nothing', reason: 'no rule matched' }, event)).toEqual({
      actions: [],
      actionsWhen: 'never',
    });
    expect(actionsFor(sim, { kind: 'transition', miId: 'MI-7', trigger: 'source.resolved' }, event)).toEqual({
      actions: [],
      actionsWhen: 'on-move',
    });
  });
});
