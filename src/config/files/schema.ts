import { z } from 'zod';
import { checkCrossReferences } from './cross-references.ts';
import { AudiencesFile } from './schema-audiences.ts';
import { MappingsFile } from './schema-mappings.ts';
import { RulesFile } from './schema-rules.ts';
import { ServicesFile } from './schema-services.ts';

/**
 * The config directory's schema. zod is the single source: the TypeScript types, the validation
 * messages and the published JSON Schemas (config/schema/) all come from here.
 */
export const CONFIG_FILES = {
  'services.yaml': ServicesFile,
  'audiences.yaml': AudiencesFile,
  'rules.yaml': RulesFile,
  'mappings.yaml': MappingsFile,
} as const;
export type ConfigFileName = keyof typeof CONFIG_FILES;
export const CONFIG_FILE_NAMES = Object.keys(CONFIG_FILES) as ConfigFileName[];

/** The whole directory at once: each file's schema, then the references between them. */
export const ConfigFiles = z
  .strictObject({ ...CONFIG_FILES, templates: z.array(z.string()) })
  .superRefine(checkCrossReferences);

export { Audience, AudiencesFile, REGISTERS } from './schema-audiences.ts';
export { MappingsFile } from './schema-mappings.ts';
export { ACTIONS, PlaybookStep, Playbooks, type PlaybookAction } from './schema-playbooks.ts';
export { Rule, RulesFile, Tier, Window } from './schema-rules.ts';
export { Service, ServicesFile } from './schema-services.ts';
