import { describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, formatIssue } from '../../../src/config/files/config-error.ts';
import { loadConfig } from '../../../src/config/files/load-config.ts';
import { issuesOf, tempConfig } from './temp-config.ts';

describe('loadConfig: the shipped default config', () => {
  it('loads, deeply frozen, with a 12-hex content-hash version and compiled rules', async () => {
    const config = await loadConfig('config');
    expect(config.version).toMatch(/^[0-9a-f]{12}$/);
    expect(config.compiled.version).toBe(config.version);
    expect(config.services.services.map((s) => [s.id, s.tier])).toEqual([
      ['payroll', 1],
      ['identity', 2],
      ['library-catalogue', 3],
    ]);
    expect(config.compiled.rules.map((r) => r.id)).toEqual([
      'p1-on-tier-1',
      'storm',
      'p1-on-tier-2',
      'p2-outage-or-vip',
    ]);
    expect(config.compiled.windows.map((w) => [w.id, w.durationMs])).toEqual([['storm_10m', 600_000]]);
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.rules.rules[0])).toBe(true);
    expect(Object.isFrozen(config.services.services[0]!.match.servicenow.businessServices)).toBe(true);
    expect(() => ((config.rules.tiers['1'] as { cadence: string }).cadence = '1m')).toThrow(TypeError);
  });

  it('fills defaults: every tier, enabled rules, reconcile interval', async () => {
    const t = tempConfig();
    t.replace(
      'rules.yaml',
      "  '3': { ackTimeout: 30m, mobilise: 15m, firstComms: 15m, cadence: 4h, pirDue: 20d, autoPost: false, maxEscalations: 1 }\n",
      '',
    );
    t.replace('rules.yaml', 'reconcile:\n  intervalSeconds: 300\n', '');
    const config = await loadConfig(t.dir);
    expect(config.rules.tiers['3']).toEqual({
      ackTimeout: '5m',
      mobilise: '15m',
      firstComms: '15m',
      cadence: '30m',
      pirDue: '5d',
      autoPost: false,
      maxEscalations: 3,
    });
    expect(config.rules.reconcile.intervalSeconds).toBe(300);
    expect(config.rules.rules.every((r) => r.enabled)).toBe(true);
  });
});

describe('loadConfig: version', () => {
  it('is the same for the same bytes in another directory, and changes with any file, templates included', async () => {
    const a = tempConfig();
    const b = tempConfig();
    const v = (await loadConfig(a.dir)).version;
    expect((await loadConfig(b.dir)).version).toBe(v);
    b.replace('rules.yaml', 'withinMinutes: 60', 'withinMinutes: 30');
    expect((await loadConfig(b.dir)).version).not.toBe(v);
    const c = tempConfig();
    c.write('templates/business/update.liquid', `${c.read('templates/business/update.liquid')}\n`);
    expect((await loadConfig(c.dir)).version).not.toBe(v);
  });

  it('ignores files that are not config (a README, the JSON Schemas)', async () => {
    const a = tempConfig();
    const v = (await loadConfig(a.dir)).version;
    a.write('README.md', 'notes');
    a.write('schema/rules.schema.json', '{}');
    expect((await loadConfig(a.dir)).version).toBe(v);
  });
});

describe('loadConfig: located schema errors', () => {
  it('names file, line and column of a value out of range', async () => {
    const t = tempConfig();
    t.replace('services.yaml', '    tier: 3', '    tier: 7');
    const [issue, ...rest] = await issuesOf(t.dir);
    expect(rest).toEqual([]);
    expect(issue).toMatchObject({ file: 'services.yaml', ...t.where('services.yaml', '7'), path: 'services.2.tier' });
    expect(issue).toMatchObject(t.where('services.yaml', 'tier: 7', 'tier: '.length));
  });

  it('points an unknown key at the key itself', async () => {
    const t = tempConfig();
    t.replace('rules.yaml', '    then: declare\n', '    then: declare\n    priority: high\n');
    expect(await issuesOf(t.dir)).toEqual([
      {
        file: 'rules.yaml',
        ...t.where('rules.yaml', 'priority: high'),
        path: 'rules.0.priority',
        message: 'unknown key "priority"',
      },
    ]);
  });

  it('points a missing key at the mapping that should hold it', async () => {
    const t = tempConfig();
    t.replace('audiences.yaml', '    name: Finance leadership\n', '');
    const [issue] = await issuesOf(t.dir);
    expect(issue).toMatchObject({
      file: 'audiences.yaml',
      ...t.where('audiences.yaml', 'id: finance-leaders'),
      path: 'audiences.1.name',
      message: 'missing: expected string',
    });
  });

  it('names an unknown playbook action and lists the valid ones', async () => {
    const t = tempConfig();
    t.replace('rules.yaml', '    - do: jira.remote_link', '    - do: jira.link');
    const [issue] = await issuesOf(t.dir);
    expect(issue).toMatchObject({
      file: 'rules.yaml',
      ...t.where('rules.yaml', 'jira.link'),
      path: 'playbooks.declare.4.do',
    });
    expect(issue!.message).toMatch(
      /^unknown action "jira.link"; expected one of: servicenow.set_major_state, .*jira.remote_link/,
    );
  });

  it('refuses a routing key pasted where its env var name belongs, in either form', async () => {
    const t = tempConfig();
    t.replace(
      'services.yaml',
      'routingKeyEnv: MIM_ROUTE_PAGERDUTY_PAYROLL',
      'routingKeyEnv: 0123456789abcdef0123456789abcdef',
    );
    t.replace(
      'services.yaml',
      'routingKeyEnv: MIM_ROUTE_PAGERDUTY_IDENTITY',
      'routingKeyEnv: R0ABCDEF1234567890ABCDEF12345678',
    );
    const issues = await issuesOf(t.dir);
    expect(issues.map((i) => [i.path, i.line])).toEqual([
      ['services.0.pagerduty.routingKeyEnv', t.where('services.yaml', '0123456789abcdef').line],
      ['services.1.pagerduty.routingKeyEnv', t.where('services.yaml', 'R0ABCDEF').line],
    ]);
    expect(issues[1]!.message).toMatch(/looks like a key or token/);
  });

  it('reports YAML syntax errors with their position', async () => {
    const t = tempConfig();
    t.replace('mappings.yaml', 'priority:\n', 'priority:\n  : [\n');
    const [issue] = await issuesOf(t.dir);
    // The parser reports where it finds the unterminated flow sequence, two lines on.
    expect(issue).toMatchObject({
      file: 'mappings.yaml',
      line: t.where('mappings.yaml', ': [').line + 2,
      column: 3,
      path: '',
    });
    expect(issue!.message).toMatch(/^YAML: Flow sequence .* end with a \]$/);
  });

  it('reports a missing file, and still checks the others', async () => {
    const t = tempConfig();
    rmSync(path.join(t.dir, 'mappings.yaml'));
    t.replace('services.yaml', '    tier: 3', '    tier: 0');
    expect((await issuesOf(t.dir)).map((i) => `${i.file} ${i.path} ${i.message}`)).toEqual([
      'mappings.yaml  missing file',
      'services.yaml services.2.tier Too small: expected number to be >=1',
    ]);
  });

  it('reports a directory that does not exist as one problem', async () => {
    const issues = await issuesOf('/nonexistent/mim-config');
    expect(issues).toHaveLength(1);
    expect(issues[0]!.message).toMatch(/^cannot read the config directory/);
  });

  it('reports a Liquid syntax error in a template with its file and line', async () => {
    const t = tempConfig();
    t.write(
      'templates/business/update.liquid',
      'Update on {{ mi.title }}\n{% if mi.nextUpdateAt %}\nnext update soon\n',
    );
    const [issue] = await issuesOf(t.dir);
    expect(issue).toMatchObject({ file: 'templates/business/update.liquid', line: 2, path: '' });
  });
});

describe('ConfigError', () => {
  it('formats each problem as file:line:col path: reason, with the directory as given', async () => {
    const t = tempConfig();
    t.replace('rules.yaml', 'when: window.storm_10m.count >= 5', 'when: window.storm_10m.count >=');
    const err = await loadConfig(t.dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    const e = err as ConfigError;
    expect(e.code).toBe('CONFIG_INVALID');
    const { line, column } = t.where('rules.yaml', 'window.storm_10m.count >=', 'window.storm_10m.count >='.length);
    expect(e.lines()).toEqual([
      `${path.join(t.dir, 'rules.yaml')}:${line}:${column} rules.1.when: CEL: Unexpected token: EOF`,
    ]);
    expect(
      formatIssue({ file: 'rules.yaml', line: 12, column: 9, path: 'rules.2.when', message: 'reason' }, 'config'),
    ).toBe('config/rules.yaml:12:9 rules.2.when: reason');
    expect(
      formatIssue({ file: 'rules.yaml', line: 12, column: 9, path: 'rules.2.when', message: 'reason' }, './config'),
    ).toBe('config/rules.yaml:12:9 rules.2.when: reason');
  });
});
