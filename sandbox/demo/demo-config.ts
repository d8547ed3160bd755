import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseDocument } from 'yaml';

/**
 * The demo runs the shipped config with one change: a short tier-1 comms cadence with autoPost
 * on, so an update goes out to the audiences within seconds instead of after 30 minutes. The
 * copy lives in a temp dir; the shipped files are never touched.
 */

export interface DemoConfigOptions {
  /** The config to copy; default `<repo>/config`. */
  readonly from: string;
  /** Tier-1 cadence, e.g. `5s`; undefined keeps the shipped one. */
  readonly cadence?: string;
  readonly autoPost?: boolean;
}

export interface DemoConfig {
  readonly dir: string;
  remove(): void;
}

export function demoConfig(opts: DemoConfigOptions): DemoConfig {
  const dir = mkdtempSync(path.join(tmpdir(), 'mim-demo-config-'));
  cpSync(opts.from, dir, { recursive: true });
  if (opts.cadence !== undefined || opts.autoPost !== undefined) {
    const file = path.join(dir, 'rules.yaml');
    const doc = parseDocument(readFileSync(file, 'utf8'));
    if (opts.cadence !== undefined) doc.setIn(['tiers', '1', 'cadence'], opts.cadence);
    if (opts.autoPost !== undefined) doc.setIn(['tiers', '1', 'autoPost'], opts.autoPost);
    writeFileSync(file, doc.toString());
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
