import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type LoadedConfig } from '../../../src/config/files/load-config.ts';
import { affectedAudiences, planActions } from '../../../src/rules/plan-actions.ts';

let config: LoadedConfig;
beforeAll(async () => {
  config = await loadConfig('config');
});
const service = (id: string) => config.services.services.find((s) => s.id === id)!;
const mi = { id: 'MI-1', serviceId: 'payroll' };

describe('planActions', () => {
  it("expands the declare playbook, with notify: all as the service's audiences", () => {
    const actions = planActions(mi, ['declare'], config.rules.playbooks, service('payroll'));
    expect(actions.map((a) => a.do)).toEqual([
      'servicenow.set_major_state',
      'servicenow.create_incident',
      'servicenow.work_note',
      'jira.create_issue',
      'jira.remote_link',
      'pagerduty.trigger',
      'notify',
      'servicenow.announce',
    ]);
    expect(actions[0]).toEqual({
      do: 'servicenow.set_major_state',
      value: 'accepted',
      majorIncidentId: 'MI-1',
      effect: 'declare',
    });
    expect(actions.at(-2)).toEqual({
      do: 'notify',
      audiences: ['payroll-users', 'finance-leaders', 'it-leadership', 'service-desk', 'resolvers'],
      template: 'declared',
      majorIncidentId: 'MI-1',
      effect: 'declare',
    });
    // Announcement steps name audiences too: `all` is expanded the same way (fan-out keeps those with a block).
    expect(actions.at(-1)).toEqual({
      do: 'servicenow.announce',
      audiences: ['payroll-users', 'finance-leaders', 'it-leadership', 'service-desk', 'resolvers'],
      template: 'declared',
      majorIncidentId: 'MI-1',
      effect: 'declare',
    });
  });

  it(
    "asks the Major Incident Manager about a candidate, plans nothing for a rejection, clears JSM's field on a " +
      'cancellation; a re-open is told as an update',
    () => {
      expect(planActions(mi, ['propose'], config.rules.playbooks, service('payroll'))).toEqual([
        { do: 'servicenow.set_major_state', value: 'proposed', majorIncidentId: mi.id, effect: 'propose' },
        { do: 'notify', audiences: ['service-desk'], template: 'proposed', majorIncidentId: mi.id, effect: 'propose' },
      ]);
      expect(planActions(mi, ['reject'], config.rules.playbooks, service('payroll'))).toEqual([]);
      expect(planActions(mi, ['cancel'], config.rules.playbooks, service('payroll'))).toEqual([
        { do: 'jira.clear_major_incident', majorIncidentId: mi.id, effect: 'cancel' },
        {
          do: 'servicenow.retire_announcement',
          audiences: ['payroll-users', 'finance-leaders', 'it-leadership', 'service-desk', 'resolvers'],
          template: 'cancelled',
          majorIncidentId: mi.id,
          effect: 'cancel',
        },
      ]);
      expect(planActions(mi, ['reopen'], config.rules.playbooks, service('payroll')).map((a) => a.do)).toEqual([
        'servicenow.work_note',
        'jira.comment',
        'notify',
        'servicenow.announce',
      ]);
    },
  );

  it('runs resolve then close for a direct close, keeping explicit audiences', () => {
    const both = planActions(mi, ['resolve', 'close'], config.rules.playbooks, service('library-catalogue'));
    expect(both.map((a) => `${a.effect}:${a.do}`)).toEqual([
      'resolve:pagerduty.resolve',
      'resolve:jira.transition',
      'resolve:servicenow.resolve',
      'resolve:notify',
      'resolve:servicenow.retire_announcement',
      'close:jira.create_pir',
      'close:notify',
    ]);
    expect(both[3]).toMatchObject({ audiences: ['library-staff', 'service-desk'] });
    expect(both[6]).toMatchObject({ audiences: ['it-leadership', 'service-desk'], template: 'closed' });
  });
});

describe('planActions with audiences changed by hand', () => {
  it("notify: all is the service's audiences, plus those added, minus those removed", () => {
    const changed = { ...mi, audiences: { added: ['all-staff'], removed: ['finance-leaders'] } };
    const actions = planActions(changed, ['declare'], config.rules.playbooks, service('payroll'));
    expect(actions.at(-2)?.audiences).toEqual([
      'payroll-users',
      'it-leadership',
      'service-desk',
      'resolvers',
      'all-staff',
    ]);
  });

  it('an added audience the service already has is not told twice; explicit lists are kept as written', () => {
    const changed = { ...mi, audiences: { added: ['service-desk'], removed: ['it-leadership'] } };
    const both = planActions(changed, ['resolve', 'close'], config.rules.playbooks, service('payroll'));
    expect(both[3]?.audiences).toEqual(['payroll-users', 'finance-leaders', 'service-desk', 'resolvers']);
    expect(both[6]?.audiences).toEqual(['it-leadership', 'service-desk']);
  });
});

describe('affectedAudiences', () => {
  it("without changes is the service's list", () => {
    expect(affectedAudiences(['a', 'b'], undefined)).toEqual(['a', 'b']);
    expect(affectedAudiences(['a', 'b'], { added: ['c', 'a'], removed: ['b', 'x'] })).toEqual(['a', 'c']);
  });
});
