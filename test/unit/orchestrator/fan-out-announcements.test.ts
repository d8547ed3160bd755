import { describe, expect, it } from 'vitest';
import { Audience } from '../../../src/config/files/schema-audiences.ts';
import { fanOut } from '../../../src/orchestrator/fan-out.ts';

const audiences = [
  Audience.parse({
    id: 'payroll-users',
    name: 'Payroll administrators',
    register: 'business',
    channels: { slack: ['#payroll-status'] },
    announcement: { portals: ['sp'], displayStyle: 'Urgent' },
  }),
  Audience.parse({ id: 'resolvers', name: 'Resolvers', register: 'technical', channels: { slack: ['#bridge'] } }),
];

describe('fan-out of the announcement steps', () => {
  it('makes one ServiceNow job per audience that has an announcement block, and no round note', () => {
    const jobs = fanOut(
      [
        {
          do: 'servicenow.announce',
          effect: 'declare',
          majorIncidentId: 'MI-1',
          audiences: ['payroll-users', 'resolvers'],
          template: 'declared',
        },
        {
          do: 'servicenow.retire_announcement',
          effect: 'declare',
          majorIncidentId: 'MI-1',
          audiences: ['resolvers'],
          template: 'resolved',
        },
      ],
      audiences,
      0,
      'servicenow',
    );
    expect(jobs).toEqual([
      {
        majorIncidentId: 'MI-1',
        do: 'servicenow.announce',
        target: 'servicenow',
        effect: 'declare',
        step: 0,
        round: 0,
        audience: 'payroll-users',
        channel: 'announcement:payroll-users',
        params: { template: 'declared' },
      },
    ]);
  });

  it('the defaults of an announcement block: every portal, the instance style, kept 2h', () => {
    expect(audiences[0]?.announcement).toEqual({ portals: ['sp'], displayStyle: 'Urgent', keepAfterResolve: '2h' });
    const bare = Audience.parse({ ...audiences[1], announcement: {} }).announcement;
    expect(bare).toEqual({ portals: [], keepAfterResolve: '2h' });
    expect(Audience.safeParse({ ...audiences[1], announcement: { displayStyle: 'a^active=false' } }).success).toBe(
      false,
    );
  });
});
