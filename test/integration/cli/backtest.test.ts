import { describe, expect, it } from 'vitest';
import { configCopy } from '../../helpers/config-dir.ts';
import { runCli } from './run-in-process.ts';

const cli = (...args: string[]) => runCli(args);

describe('mim-bridge rules backtest', () => {
  it('reports the major incidents a config would declare, and the difference to another', async () => {
    const lower = configCopy();
    lower.edit('rules.yaml', (t) => t.replace('window.storm_10m.count >= 5', 'window.storm_10m.count >= 3'));
    const { code, stdout, stderr } = await cli(
      'rules',
      'backtest',
      '--events',
      'test/fixtures/events',
      '--config',
      'config',
      '--against',
      lower.dir,
      '--json',
    );
    expect(code, stderr).toBe(0);
    const out = JSON.parse(stdout) as {
      a: { majorIncidents: Array<{ origin: string }> };
      diff: { onlyInB: Array<{ origin: string; declaredAt: string }> };
    };
    expect(out.a.majorIncidents.map((m) => m.origin)).toEqual(['servicenow/INC0020004', 'servicenow/INC0040001']);
    expect(out.diff.onlyInB).toEqual([
      expect.objectContaining({ origin: 'servicenow/INC0020002', declaredAt: '2026-11-20T09:04:00.000Z' }),
    ]);
  });

  it('exits 1 naming file and line when the config is invalid', async () => {
    const broken = configCopy();
    broken.edit('rules.yaml', (t) => t.replace('then: declare', 'then: panic'));
    await expect(
      cli('rules', 'backtest', '--events', 'test/fixtures/events', '--config', broken.dir),
    ).resolves.toMatchObject({ code: 1, stderr: expect.stringMatching(/rules\.yaml:\d+:\d+ rules\.0\.then/) });
  });
});

describe('mim-bridge rules export-events', () => {
  it('exits 1 naming the connection error when Redis cannot be reached', async () => {
    await expect(cli('rules', 'export-events', '--redis', 'redis://127.0.0.1:1')).resolves.toMatchObject({
      code: 1,
      stderr: 'mim-bridge rules export-events: cannot reach Redis (connect ECONNREFUSED 127.0.0.1:1)\n',
    });
  });

  it('exits 1 naming both variables when Sentinel and Cluster are both set', async () => {
    const r = await runCli(['rules', 'export-events'], {
      ...process.env,
      REDIS_SENTINELS: 's1:26379',
      REDIS_SENTINEL_NAME: 'mim',
      REDIS_CLUSTER_NODES: 'n1:7000',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/REDIS_SENTINELS and REDIS_CLUSTER_NODES are both set/);
  });
});
