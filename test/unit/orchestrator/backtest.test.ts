import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type LoadedConfig } from '../../../src/config/files/load-config.ts';
import { backtest, diffBacktests } from '../../../src/orchestrator/backtest.ts';
import { readEvents } from '../../../src/cli/read-events.ts';
import { configCopy } from '../../helpers/config-dir.ts';
import type { IncidentEvent } from '../../../src/domain/incident-event.ts';

let config: LoadedConfig;
let events: IncidentEvent[];
beforeAll(async () => {
  config = await loadConfig('config');
  ({ events } = await readEvents('test/fixtures/events/library-storm.ndjson'));
});

describe('backtest', () => {
  it('declares the storm at the fifth incident within ten minutes, attaches the sixth, and the Payroll P1', () => {
    const result = backtest(config, events);
    expect(result).toMatchObject({ events: 8, unmapped: 1 });
    expect(result.majorIncidents).toEqual([
      expect.objectContaining({
        serviceId: 'library-catalogue',
        state: 'declared',
        declaredAt: '2026-11-20T09:08:00.000Z',
        decidedBy: 'storm',
        origin: 'servicenow/INC0020004',
        children: 1,
      }),
      expect.objectContaining({
        serviceId: 'payroll',
        state: 'declared',
        decidedBy: 'p1-on-tier-1',
        origin: 'servicenow/INC0040001',
      }),
    ]);
  });

  it('declares nothing for four incidents', () => {
    const four = events.filter((e) => e.serviceName === 'Library Catalogue').slice(0, 4);
    expect(backtest(config, four).majorIncidents).toEqual([]);
  });

  it('shows the difference a lower storm threshold makes', async () => {
    const copy = configCopy();
    copy.edit('rules.yaml', (t) => t.replace('window.storm_10m.count >= 5', 'window.storm_10m.count >= 3'));
    const diff = diffBacktests(backtest(config, events), backtest(await loadConfig(copy.dir), events));
    expect(diff.onlyInA.map((m) => m.origin)).toEqual(['servicenow/INC0020004']);
    expect(diff.onlyInB.map((m) => [m.origin, m.declaredAt, m.children])).toEqual([
      ['servicenow/INC0020002', '2026-11-20T09:04:00.000Z', 3],
    ]);
  });

  it('is independent of the order events arrive in', () => {
    expect(backtest(config, [...events].reverse()).majorIncidents).toEqual(backtest(config, events).majorIncidents);
  });
});
