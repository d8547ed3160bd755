import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { ConfigStore } from '../../../src/config/config-store.ts';
import { createLogger } from '../../../src/observability/logger.ts';
import { configCopy } from '../../helpers/config-dir.ts';

const logs: string[] = [];
const logger = createLogger('info', {}, new Writable({ write(c, _e, cb) { logs.push(String(c)); cb(); } }));

describe('ConfigStore hot reload', () => {
  it('swaps in a valid new version and tells listeners', async () => {
    const { dir, edit } = configCopy();
    const store = await ConfigStore.open(dir, logger);
    const before = store.current().version;
    const seen: string[] = [];
    store.onChange((c) => seen.push(c.version));
    edit('rules.yaml', (t) => t.replace('withinMinutes: 60', 'withinMinutes: 45'));
    const result = await store.reload('admin');
    expect(result).toMatchObject({ ok: true, changed: true });
    expect(store.current().version).not.toBe(before);
    expect(store.current().rules.reopen.withinMinutes).toBe(45);
    expect(seen).toEqual([store.current().version]);
  });

  it('rejects an invalid config and keeps the previous one active', async () => {
    const { dir, edit } = configCopy();
    const store = await ConfigStore.open(dir, logger);
    const active = store.current();
    edit('rules.yaml', (t) => t.replace('then: declare', 'then: panic'));
    const result = await store.reload('sighup');
    expect(result.ok).toBe(false);
    expect(store.current()).toBe(active);
    expect(logs.join('')).toContain('config rejected; the previous version stays active');
  });

  it('reports an unchanged reload without swapping', async () => {
    const { dir } = configCopy();
    const store = await ConfigStore.open(dir, logger);
    const active = store.current();
    expect(await store.reload('admin')).toMatchObject({ ok: true, changed: false });
    expect(store.current()).toBe(active);
  });

  it('reloads by itself when a file changes', async () => {
    const { dir, edit } = configCopy();
    const store = await ConfigStore.open(dir, logger);
    const stop = store.watch();
    const changed = new Promise<string>((resolve) => store.onChange((c) => resolve(c.version)));
    edit('rules.yaml', (t) => t.replace('withinMinutes: 60', 'withinMinutes: 15'));
    expect(await changed).toBe(store.current().version);
    expect(store.current().rules.reopen.withinMinutes).toBe(15);
    stop();
  });
});
