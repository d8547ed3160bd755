import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { tempConfig } from '../../unit/config/temp-config.ts';
import { runCli } from './run-in-process.ts';

const EVENTS = 'test/fixtures/config/events';

interface CliResult {
  code: number | null;
  out: string;
  err: string;
}

/**
 * The real command, as a user runs it: a child process, so the exit code is the process's own.
 * Used only where the exit code of `bin/mim-bridge.js` is what the test is about; every other case
 * calls `run(argv)` in-process (a child costs about a second of start-up on a shared machine).
 */
function cliProcess(...args: string[]): CliResult {
  const r = spawnSync(process.execPath, ['bin/mim-bridge.js', ...args], {
    encoding: 'utf8',
    env: { ...process.env, MIM_CONFIG_DIR: '' },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** The same command in this process (see run-in-process.ts). */
async function cli(...args: string[]): Promise<CliResult> {
  const r = await runCli(args, { ...process.env, MIM_CONFIG_DIR: '' });
  return { code: r.code, out: r.stdout, err: r.stderr };
}

describe('mim-bridge rules check', () => {
  it('exits 0 and prints the version for a valid directory', () => {
    const r = cliProcess('rules', 'check', 'config');
    expect(r).toMatchObject({ code: 0, err: '' });
    // Every .liquid file under config/templates counts.
    const templates = ['business', 'technical'].flatMap((r) =>
      readdirSync(path.join('config/templates', r)).filter((f) => f.endsWith('.liquid')),
    ).length;
    expect(r.out).toMatch(
      new RegExp(
        '^OK config: version [0-9a-f]{12} ' +
          `\\(3 services, 7 audiences, 4 rules, 1 window, ${templates} templates, evaluation first-match\\)\n$`,
      ),
    );
  });

  it('exits 1 and prints file:line:col path: reason for each problem', async () => {
    const t = tempConfig();
    t.replace('rules.yaml', 'when: window.storm_10m.count >= 5', 'when: window.storm_10m.count >= 5 && bogus');
    t.replace('services.yaml', '    tier: 3', '    tier: 7');
    const r = await cli('rules', 'check', t.dir);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    const bogus = t.where('rules.yaml', 'bogus');
    const tier = t.where('services.yaml', 'tier: 7', 'tier: '.length);
    expect(r.err.split('\n')).toEqual([
      `${path.join(t.dir, 'rules.yaml')}:${bogus.line}:${bogus.column} rules.1.when: CEL: Unknown variable: bogus`,
      `${path.join(t.dir, 'services.yaml')}:${tier.line}:${tier.column} ` +
        'services.2.tier: Too big: expected number to be <=3',
      `2 problems in ${t.dir}; this config would be rejected.`,
      '',
    ]);
  });

  it('prints JSON on request', async () => {
    const r = await cli('rules', 'check', 'config', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({
      ok: true,
      dir: 'config',
      rules: ['p1-on-tier-1', 'storm', 'p1-on-tier-2', 'p2-outage-or-vip'],
      windows: ['storm_10m'],
    });
  });

  it('exits 2 on a usage error', async () => {
    expect(cliProcess('rules', 'frobnicate').code).toBe(2);
    expect((await cli('rules', 'frobnicate')).code).toBe(2);
  });
});

describe('mim-bridge rules simulate', () => {
  it('shows the service, every rule with the value of each part, the decision and the playbook', async () => {
    const r = await cli('rules', 'simulate', '--event', `${EVENTS}/servicenow-p1-payroll.json`, '--config', 'config');
    expect(r.code).toBe(0);
    expect(r.out).toContain('service payroll (Payroll, tier 1) from Payroll');
    expect(r.out).toContain('MATCH p1-on-tier-1 → declare');
    expect(r.out).toContain('      service.tier == 1  →  true');
    expect(r.out).toContain('  -     storm: not evaluated (first-match already decided)');
    expect(r.out).toContain('decision: declare by p1-on-tier-1');
    expect(r.out).toContain(
      '  notify audiences=payroll-users,finance-leaders,it-leadership,service-desk,resolvers template=declared',
    );
    expect(r.out).toContain('nothing was sent anywhere');
  });

  it('takes window counts: a storm at five, not at four', async () => {
    const at = (n: number) =>
      cli('rules', 'simulate', '--event', `${EVENTS}/servicenow-library-p3.json`, '--window', `storm_10m=${n}`);
    expect((await at(5)).out).toContain('decision: declare by storm');
    expect((await at(4)).out).toContain('decision: none');
    const bad = await cli(
      'rules',
      'simulate',
      '--event',
      `${EVENTS}/servicenow-library-p3.json`,
      '--window',
      'storm_1h=5',
    );
    expect(bad).toMatchObject({ code: 1, err: '--window: no window "storm_1h" in rules.yaml (windows: storm_10m)\n' });
  });

  it('proposes, and says the playbook waits for acceptance', async () => {
    const r = await cli('rules', 'simulate', '--event', `${EVENTS}/jira-vip-payroll.json`);
    expect(r.out).toContain('decision: propose by p2-outage-or-vip');
    expect(r.out).toContain('on acceptance the declare playbook would run');
  });

  it('reports an unmapped service and never a decision', async () => {
    const r = await cli('rules', 'simulate', '--event', `${EVENTS}/servicenow-unmapped-p1.json`, '--json');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(json).toMatchObject({
      service: null,
      evaluation: { decision: 'none', unmapped: true },
      actions: [],
      actionsWhen: 'never',
    });
  });

  it('normalizes a raw vendor webhook body with the webhook code', async () => {
    const r = await cli('rules', 'simulate', '--event', 'test/fixtures/servicenow/record.new.json');
    expect(r.code).toBe(0);
    expect(r.out).toContain('(normalized from a raw servicenow payload)');
  });

  it('exits 1 on a file that is neither an IncidentEvent nor a vendor payload', async () => {
    const r = await cli('rules', 'simulate', '--event', 'config/schema/rules.schema.json');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^not an IncidentEvent/);
  });

  it('exits 1 naming where an event is nested too deep, instead of overflowing the stack', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mim-deep-'));
    const file = path.join(dir, 'deep.json');
    writeFileSync(file, `{"source":"servicenow","payload":${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}}`);
    const r = await cli('rules', 'simulate', '--event', file);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^--event .*deep\.json: payload(\.a)+ is nested more than 64 levels deep\n$/);
  });
});
