import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import {
  configReference,
  envRows,
  fileRows,
  generatedSections,
  isSecretVariable,
} from '../../../src/config/files/write-config-reference.ts';
import { z } from 'zod';
import { EnvSchema } from '../../../src/config/env.ts';
import { CONFIG_FILES } from '../../../src/config/files/schema.ts';

const committed = () => readFileSync('docs/config-reference.md', 'utf8');

describe('docs/config-reference.md', () => {
  it('is up to date with the zod schemas: run `npm run docs:config`', () => {
    const text = committed();
    expect(configReference(text)).toBe(text);
  });

  it('has every generated section between its markers', () => {
    for (const name of Object.keys(generatedSections())) {
      expect(committed()).toContain(`<!-- generated:${name} -->`);
      expect(committed()).toContain(`<!-- /generated:${name} -->`);
    }
    expect(() => configReference('no markers')).toThrow(/lacks the markers/);
  });

  it('lists every environment variable with a meaning, and never a secret value', () => {
    const rows = envRows();
    expect(rows.map((r) => r.key)).toEqual(Object.keys(EnvSchema.shape));
    for (const r of rows) {
      expect(r.meaning, r.key).not.toBe('');
      if (isSecretVariable(r.key)) {
        expect(r.type, r.key).toContain('**secret**');
        expect(r.default, r.key).toBe('—');
      }
    }
    for (const name of [
      'SERVICENOW_PASSWORD',
      'JIRA_API_TOKEN',
      'SLACK_BOT_TOKEN',
      'PAGERDUTY_ROUTING_KEY',
      'SERVICENOW_WEBHOOK_SECRET',
      'TEAMS_WEBHOOK_URL',
      'SMTP_URL',
      'MIM_ADMIN_TOKEN',
    ]) {
      expect(isSecretVariable(name), name).toBe(true);
    }
  });

  it('gives every config-file key a meaning', () => {
    for (const [file, schema] of Object.entries(CONFIG_FILES)) {
      const rows = fileRows(
        z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' }) as Parameters<
          typeof fileRows
        >[0],
      );
      expect(rows.length, file).toBeGreaterThan(3);
      expect(rows.filter((r) => r.meaning === '').map((r) => `${file} ${r.key}`)).toEqual([]);
    }
  });
});
