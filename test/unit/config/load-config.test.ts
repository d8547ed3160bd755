import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { loadConfig } from '../../../src/config/files/load-config.ts';
import { ConfigError } from '../../../src/config/files/config-error.ts';
import { jsonSchemas } from '../../../src/config/files/write-json-schema.ts';
import { configCopy, lineOf } from '../../helpers/config-dir.ts';

async function issuesOf(dir: string) {
  try {
    await loadConfig(dir);
  } catch (err) {
    if (err instanceof ConfigError) return err.issues;
    throw err;
  }
  throw new Error('config unexpectedly valid');
}

describe('loadConfig', () => {
  it('loads the shipped default config, frozen, with a content-hash version', async () => {
    const config = await loadConfig('config');
    expect(config.version).toMatch(/^[0-9a-f]{12}$/);
    expect(config.services.services.map((s) => [s.id, s.tier])).toEqual([['payroll', 1], ['identity', 1], ['library-catalogue', 3]]);
    expect(Object.isFrozen(config.rules.rules[0])).toBe(true);
  });

  it('gives the same version for the same files and another for a change', async () => {
    const a = configCopy();
    const b = configCopy();
    expect((await loadConfig(a.dir)).version).toBe((await loadConfig(b.dir)).version);
    b.edit('rules.yaml', (t) => t.replace('withinMinutes: 60', 'withinMinutes: 30'));
    expect((await loadConfig(b.dir)).version).not.toBe((await loadConfig(a.dir)).version);
  });

  it('names file, line and column of a schema error', async () => {
    const { dir, edit } = configCopy();
    edit('services.yaml', (t) => t.replace('    tier: 3', '    tier: 7'));
    const [issue] = await issuesOf(dir);
    expect(issue).toMatchObject({ file: 'services.yaml', line: lineOf(dir, 'services.yaml', 'tier: 7'), column: 11, path: 'services.2.tier' });
  });

  it('locates a CEL compile error at the rule\'s when', async () => {
    const { dir, edit } = configCopy();
    edit('rules.yaml', (t) => t.replace('when: window.storm_10m.count >= 5', 'when: window.storm_10m.count >= '));
    const issues = await issuesOf(dir);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ file: 'rules.yaml', line: lineOf(dir, 'rules.yaml', 'when: window.storm_10m.count >='), path: 'rules.1.when' });
    expect(issues[0]!.message).toMatch(/^CEL: /);
  });

  it('rejects a service naming an unknown audience, and a playbook naming a missing template', async () => {
    const { dir, edit } = configCopy();
    edit('services.yaml', (t) => t.replace('audiences: [library-staff, service-desk]', 'audiences: [library-staff, nobody]'));
    edit('rules.yaml', (t) => t.replace('template: closed', 'template: no-such-template'));
    const issues = await issuesOf(dir);
    expect(issues.map((i) => `${i.file} ${i.path}`).sort()).toEqual(['rules.yaml playbooks.close.1.template', 'services.yaml services.2.audiences.1']);
  });

  it('rejects an inline routing key where an env var name belongs', async () => {
    const { dir, edit } = configCopy();
    edit('services.yaml', (t) => t.replace('routingKeyEnv: PAGERDUTY_ROUTING_KEY_PAYROLL', 'routingKeyEnv: 0123456789abcdef0123456789abcdef'));
    const [issue] = await issuesOf(dir);
    expect(issue).toMatchObject({ path: 'services.0.pagerduty.routingKeyEnv' });
  });

  it('reports YAML syntax errors with their position', async () => {
    const { dir, edit } = configCopy();
    edit('mappings.yaml', (t) => t.replace('priority:\n', 'priority:\n  : [\n'));
    const issues = await issuesOf(dir);
    // The parser reports where the unterminated sequence is detected, two lines on.
    expect(issues[0]).toMatchObject({ file: 'mappings.yaml', line: lineOf(dir, 'mappings.yaml', ': [') + 2, column: 3 });
    expect(issues[0]!.message).toMatch(/^YAML: Flow sequence .* end with a \]$/);
  });

  it('reports duplicate ids', async () => {
    const { dir, edit } = configCopy();
    edit('audiences.yaml', (t) => `${t}  - id: resolvers\n    name: again\n    register: technical\n    channels: {}\n`);
    expect(await issuesOf(dir)).toEqual([expect.objectContaining({ file: 'audiences.yaml', path: 'audiences.7.id', message: 'duplicate id "resolvers"' })]);
  });

  it('reports a missing file', async () => {
    const { dir } = configCopy();
    const { rmSync } = await import('node:fs');
    rmSync(`${dir}/mappings.yaml`);
    expect(await issuesOf(dir)).toEqual([expect.objectContaining({ file: 'mappings.yaml', message: expect.stringMatching(/missing file/) })]);
  });
});

describe('published JSON Schema', () => {
  it('is up to date with the zod schema (run `npm run config:schema`)', () => {
    for (const [name, text] of Object.entries(jsonSchemas())) {
      expect(readFileSync(`config/schema/${name}`, 'utf8')).toBe(text);
    }
  });

  it('is referenced from every shipped YAML file', () => {
    for (const file of ['services', 'audiences', 'rules', 'mappings']) {
      expect(readFileSync(`config/${file}.yaml`, 'utf8').split('\n')[0]).toBe(`# yaml-language-server: $schema=./schema/${file}.schema.json`);
    }
  });
});
