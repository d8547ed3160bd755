import { describe, expect, it } from 'vitest';
import { issuesOf, tempConfig } from './temp-config.ts';

describe('cross-references between files', () => {
  it('rejects a service naming an unknown audience, at that list item', async () => {
    const t = tempConfig();
    t.replace('services.yaml', 'audiences: [library-staff, service-desk]', 'audiences: [library-staff, nobody]');
    expect(await issuesOf(t.dir)).toEqual([
      {
        file: 'services.yaml',
        ...t.where('services.yaml', 'nobody]'),
        path: 'services.2.audiences.1',
        message: 'unknown audience "nobody" (not in audiences.yaml)',
      },
    ]);
  });

  it('rejects a notify step naming an unknown audience', async () => {
    const t = tempConfig();
    t.replace('rules.yaml', 'audiences: [it-leadership, service-desk]', 'audiences: [it-leadership, board]');
    expect(await issuesOf(t.dir)).toEqual([
      {
        file: 'rules.yaml',
        ...t.where('rules.yaml', 'board]'),
        path: 'playbooks.close.1.audiences.1',
        message: 'unknown audience "board" (not in audiences.yaml)',
      },
    ]);
  });

  it('rejects a notify template missing from templates/, for each register its audiences use', async () => {
    const t = tempConfig();
    t.replace('rules.yaml', 'template: closed', 'template: wrap-up');
    const issues = await issuesOf(t.dir);
    expect(issues.map((i) => [i.path, i.line, i.message])).toEqual([
      [
        'playbooks.close.1.template',
        t.where('rules.yaml', 'wrap-up').line,
        'no template "wrap-up" for business audiences: add templates/business/wrap-up.liquid',
      ],
      [
        'playbooks.close.1.template',
        t.where('rules.yaml', 'wrap-up').line,
        'no template "wrap-up" for technical audiences: add templates/technical/wrap-up.liquid',
      ],
    ]);
  });

  it('accepts a template present only in the register of the audiences notified', async () => {
    const t = tempConfig();
    t.write('templates/technical/bridge-call.liquid', 'Bridge call for {{ mi.title }}');
    t.replace(
      'rules.yaml',
      '    - do: pagerduty.trigger\n',
      '    - do: pagerduty.trigger\n    - do: notify\n      audiences: [resolvers]\n      template: bridge-call\n',
    );
    expect(
      (await import('../../../src/config/files/load-config.ts').then((m) => m.loadConfig(t.dir))).rules.playbooks
        .declare[6],
    ).toEqual({ do: 'notify', audiences: ['resolvers'], template: 'bridge-call' });
    t.replace('rules.yaml', 'audiences: [resolvers]', 'audiences: [resolvers, it-leadership]');
    expect((await issuesOf(t.dir)).map((i) => i.message)).toEqual([
      'no template "bridge-call" for business audiences: add templates/business/bridge-call.liquid',
    ]);
  });

  it('reports duplicate ids in every list, at the second occurrence', async () => {
    const t = tempConfig();
    t.write(
      'audiences.yaml',
      `${t.read('audiences.yaml')}  - id: resolvers\n    name: again\n    register: technical\n    channels: { ` +
        `slack: ['#x'] }\n`,
    );
    t.replace('rules.yaml', '  - id: p1-on-tier-2', '  - id: storm');
    const issues = await issuesOf(t.dir);
    expect(issues.map((i) => `${i.file}:${i.line} ${i.path}: ${i.message}`)).toEqual([
      `audiences.yaml:${t.read('audiences.yaml').split('\n').lastIndexOf('  - id: resolvers') + 1} ` +
        'audiences.7.id: duplicate id "resolvers" (first at audiences.6)',
      `rules.yaml:${t.read('rules.yaml').split('\n').lastIndexOf('  - id: storm') + 1} rules.2.id: duplicate id ` +
        '"storm" (first at rules.1)',
    ]);
  });

  it('rejects one ServiceNow business service mapped to two services', async () => {
    const t = tempConfig();
    t.replace(
      'services.yaml',
      'businessServices: [Library Catalogue]',
      'businessServices: [Library Catalogue, payroll]',
    );
    const [issue] = await issuesOf(t.dir);
    expect(issue).toMatchObject({
      path: 'services.2.match.servicenow.businessServices.1',
      message: '"payroll" is already matched by service "payroll"',
    });
  });

  it('rejects a service that nothing can match', async () => {
    const t = tempConfig();
    t.replace(
      'services.yaml',
      '      servicenow:\n        businessServices: [Library Catalogue]\n        cmdbCis: [libcat-web01]\n      ' +
        'jira:\n        projects: [LIB]\n',
      '      servicenow: {}\n',
    );
    const [issue] = await issuesOf(t.dir);
    expect(issue).toMatchObject({ path: 'services.2.match', message: expect.stringMatching(/at least one/) });
  });
});

describe('CEL conditions that do not compile', () => {
  it('point inside a one-line condition, at the offending character', async () => {
    const t = tempConfig();
    t.replace(
      'rules.yaml',
      'when: window.storm_10m.count >= 5',
      'when: window.storm_10m.count >= 5 && incident.priority == 1 && bogus',
    );
    const issues = await issuesOf(t.dir);
    expect(issues).toEqual([
      {
        file: 'rules.yaml',
        ...t.where('rules.yaml', 'bogus'),
        path: 'rules.1.when',
        message: 'CEL: Unknown variable: bogus',
      },
    ]);
  });

  it('point inside a quoted condition', async () => {
    const t = tempConfig();
    t.replace('rules.yaml', 'when: window.storm_10m.count >= 5', 'when: "window.storm_10m.count >= 5 && nope"');
    expect(await issuesOf(t.dir)).toEqual([
      expect.objectContaining({ ...t.where('rules.yaml', 'nope"'), path: 'rules.1.when' }),
    ]);
  });

  it('point inside a folded multi-line condition, on the right line', async () => {
    const t = tempConfig();
    t.replace(
      'rules.yaml',
      '       (has(incident.impact) && has(incident.urgency) && incident.impact == 1 && incident.urgency == 1))',
      '       (has(incident.impact) && has(incident.urgency) && incident.impact === 1 && incident.urgency == 1))',
    );
    expect(await issuesOf(t.dir)).toEqual([
      {
        file: 'rules.yaml',
        ...t.where('rules.yaml', 'incident.impact ===', 'incident.impact =='.length),
        path: 'rules.0.when',
        message: 'CEL: Unexpected character: =',
      },
    ]);
  });

  it('reject a window filter and a condition that is not true/false', async () => {
    const t = tempConfig();
    t.replace('rules.yaml', "filter: '!has(incident.state)", "filter: '!has(incident)");
    t.replace('rules.yaml', 'when: window.storm_10m.count >= 5', 'when: window.storm_10m.count + 5');
    const issues = await issuesOf(t.dir);
    expect(issues.map((i) => [i.path, i.line])).toEqual([
      ['windows.0.filter', t.where('rules.yaml', 'filter:').line],
      ['rules.1.when', t.where('rules.yaml', 'count + 5').line],
    ]);
    expect(issues[1]!.message).toBe('CEL: a condition must be true or false, but this is a int');
  });

  it('are found in disabled rules too, so enabling one cannot break a running config', async () => {
    const t = tempConfig();
    t.replace(
      'rules.yaml',
      '    when: window.storm_10m.count >= 5\n    then: declare\n',
      '    when: window.storm_10m.count >=\n    then: declare\n    enabled: false\n',
    );
    expect((await issuesOf(t.dir)).map((i) => i.path)).toEqual(['rules.1.when']);
  });
});
