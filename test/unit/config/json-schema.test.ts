import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { jsonSchemas } from '../../../src/config/files/write-json-schema.ts';

describe('published JSON Schemas (config/schema/)', () => {
  it('are up to date with the zod schema: run `node src/config/files/write-json-schema.ts`', () => {
    const generated = jsonSchemas();
    expect(readdirSync('config/schema').sort()).toEqual(Object.keys(generated).sort());
    for (const [name, text] of Object.entries(generated))
      expect(readFileSync(`config/schema/${name}`, 'utf8'), name).toBe(text);
  });

  it('are named on the first line of every shipped YAML file', () => {
    for (const file of ['services', 'audiences', 'rules', 'mappings']) {
      expect(readFileSync(`config/${file}.yaml`, 'utf8').split('\n')[0]).toBe(
        `# yaml-language-server: $schema=./schema/${file}.schema.json`,
      );
    }
  });

  it('describe what an admin writes: keys with defaults are optional, actions are listed', () => {
    const rules = JSON.parse(jsonSchemas()['rules.schema.json']!) as {
      required: string[];
      $defs: { PlaybookStep: { oneOf: Array<{ properties: { do: { const: string } } }> } };
    };
    expect(rules.required).toEqual(['rules', 'playbooks']);
    expect(rules.$defs.PlaybookStep.oneOf.map((o) => o.properties.do.const)).toContain('notify');
  });
});
