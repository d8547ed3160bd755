import { describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { ConfigStore, installSighup } from '../../../src/config/config-store.ts';
import { configInfo, configReloads } from '../../../src/config/config-metrics.ts';
import { createLogger } from '../../../src/observability/logger.ts';
import { tempConfig } from './temp-config.ts';

const logs: string[] = [];
const logger = createLogger(
  'info',
  {},
  new Writable({
    write(c, _e, cb) {
      logs.push(String(c));
      cb();
    },
  }),
);

async function count(result: string, trigger: string): Promise<number> {
  const { values } = await configReloads.get();
  return values.find((v) => v.labels.result === result && v.labels.trigger === trigger)?.value ?? 0;
}
async function activeVersions(): Promise<string[]> {
  return (await configInfo.get()).values.filter((v) => v.value === 1).map((v) => String(v.labels.version));
}

describe('ConfigStore hot reload', () => {
  it('validates a new version in full, swaps it in, publishes it and tells listeners', async () => {
    const t = tempConfig();
    const store = await ConfigStore.open(t.dir, logger);
    const before = store.current();
    expect(await activeVersions()).toEqual([before.version]);
    const seen: string[] = [];
    store.onChange((c) => seen.push(c.version));
    const applied = await count('applied', 'admin');
    t.replace('rules.yaml', 'withinMinutes: 60', 'withinMinutes: 45');
    const result = await store.reload('admin');
    expect(result).toEqual({ ok: true, version: store.current().version, changed: true });
    expect(store.current().version).not.toBe(before.version);
    expect(store.current().rules.reopen.withinMinutes).toBe(45);
    expect(before.rules.reopen.withinMinutes).toBe(60);
    expect(seen).toEqual([store.current().version]);
    expect(await count('applied', 'admin')).toBe(applied + 1);
    expect(await activeVersions()).toEqual([store.current().version]);
  });

  it('rejects an invalid config, logs and counts it, and keeps the previous one active', async () => {
    const t = tempConfig();
    const store = await ConfigStore.open(t.dir, logger);
    const active = store.current();
    const listener: string[] = [];
    store.onChange((c) => listener.push(c.version));
    const rejected = await count('rejected', 'sighup');
    t.replace('rules.yaml', 'then: declare', 'then: panic');
    const result = await store.reload('sighup');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.activeVersion).toBe(active.version);
    expect(result.error.issues).toEqual([expect.objectContaining({ file: 'rules.yaml', path: 'rules.0.then' })]);
    expect(store.current()).toBe(active);
    expect(listener).toEqual([]);
    expect(await count('rejected', 'sighup')).toBe(rejected + 1);
    expect(await activeVersions()).toEqual([active.version]);
    const line = logs.find((l) => l.includes('config rejected'));
    expect(line).toContain('rules.yaml');
    expect(line).toContain('the previous version stays active');
  });

  it('reports an unchanged reload without swapping', async () => {
    const t = tempConfig();
    const store = await ConfigStore.open(t.dir, logger);
    const active = store.current();
    expect(await store.reload('admin')).toEqual({ ok: true, version: active.version, changed: false });
    expect(store.current()).toBe(active);
  });

  it('serializes reloads: the last one wins, never an older one', async () => {
    const t = tempConfig();
    const store = await ConfigStore.open(t.dir, logger);
    t.replace('rules.yaml', 'withinMinutes: 60', 'withinMinutes: 10');
    const first = store.reload('admin');
    const second = store.reload('file');
    await Promise.all([first, second]);
    expect(store.current().rules.reopen.withinMinutes).toBe(10);
    expect(await second).toMatchObject({ ok: true, changed: false });
  });

  it('reloads by itself when a file in the directory changes (debounced)', async () => {
    const t = tempConfig();
    const store = await ConfigStore.open(t.dir, logger);
    const stop = store.watch(50);
    try {
      const changed = new Promise<string>((resolve) => store.onChange((c) => resolve(c.version)));
      t.replace('rules.yaml', 'withinMinutes: 60', 'withinMinutes: 15');
      expect(await changed).toBe(store.current().version);
      expect(store.current().rules.reopen.withinMinutes).toBe(15);
    } finally {
      stop();
    }
  });

  it('reloads on SIGHUP once installed, and not after removal', async () => {
    const t = tempConfig();
    const store = await ConfigStore.open(t.dir, logger);
    const proc = new EventEmitter();
    const remove = installSighup(store, proc as unknown as NodeJS.Process);
    const changed = new Promise<string>((resolve) => store.onChange((c) => resolve(c.version)));
    t.replace('rules.yaml', 'withinMinutes: 60', 'withinMinutes: 20');
    proc.emit('SIGHUP');
    expect(await changed).toBe(store.current().version);
    remove();
    expect(proc.listenerCount('SIGHUP')).toBe(0);
  });
});
