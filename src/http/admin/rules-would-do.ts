import type { IncidentEvent } from '../../domain/incident-event.ts';
import { childLinkJobs } from '../../orchestrator/child-links.ts';
import type { Decision } from '../../orchestrator/decide.ts';
import type { Simulation } from '../../orchestrator/simulate.ts';

/**
 * When the actions a simulation lists would run: `now`, once the candidate is accepted, never, or on a move of an
 * existing major incident whose playbook the simulator does not plan (a re-open, a resolution from the source).
 */
export type ActionsWhen = Simulation['actionsWhen'] | 'on-move';

type Listed = {
  readonly actions: ReadonlyArray<{ readonly do: string; readonly majorIncidentId: string; readonly effect: string }>;
  readonly actionsWhen: ActionsWhen;
};

/**
 * The actions that go with what the orchestrator would do, not with the rules' verdict alone: the sandbox plans the
 * declare playbook for a `declare` verdict, but with a major incident already open for the service the event is
 * attached to it as a child and the playbook does not run again; only the child's link is made.
 */
export function actionsFor(sim: Simulation, wouldDo: Decision, event: IncidentEvent): Listed {
  const childLinks = (miId: string) =>
    childLinkJobs(miId, {
      source: event.source,
      recordId: event.recordId,
      ...(event.number ? { number: event.number } : {}),
    }).map((job) => ({ do: job.do, majorIncidentId: miId, effect: 'attach', ...job.params }));
  switch (wouldDo.kind) {
    case 'nothing':
      return { actions: [], actionsWhen: 'never' };
    case 'create':
      return wouldDo.trigger === 'rule.declare' || wouldDo.trigger === 'source.major_accepted'
        ? { actions: sim.actions, actionsWhen: 'now' }
        : { actions: sim.actions, actionsWhen: 'on-acceptance' };
    case 'attach':
      return {
        actions: [...(wouldDo.then === 'rule.declare' ? sim.actions : []), ...childLinks(wouldDo.miId)],
        actionsWhen: 'now',
      };
    case 'transition':
      if (wouldDo.trigger === 'rule.declare') return { actions: sim.actions, actionsWhen: 'now' };
      return { actions: wouldDo.attach ? childLinks(wouldDo.miId) : [], actionsWhen: 'on-move' };
  }
}
