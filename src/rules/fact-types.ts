import { z } from 'zod';
import { IncidentEvent } from '../domain/incident-event.ts';

/**
 * A CEL field declaration in @marcbachmann/cel-js's `registerType({schema})` form: a type name, or
 * a nested object that becomes a message type of its own (README, "registerType signatures":
 * https://www.npmjs.com/package/@marcbachmann/cel-js).
 */
export type CelSchema = { [field: string]: string | CelSchema };

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
};

/**
 * The CEL type of a JSON Schema node. Integers are CEL ints (toCel turns whole numbers into BigInt);
 * any other number is `dyn`, since a whole value of it arrives as an int too. An object with
 * declared properties is a message, so a misspelt field is a check error; a free-form object is a map.
 */
function celType(node: JsonSchema, root: JsonSchema): string | CelSchema {
  if (node.$ref) {
    const def = root.$defs?.[node.$ref.replace('#/$defs/', '')];
    return def ? celType(def, root) : 'dyn';
  }
  switch (node.type) {
    case 'string':
      return 'string';
    case 'integer':
      return 'int';
    case 'boolean':
      return 'bool';
    case 'array': {
      const item = node.items ? celType(node.items, root) : 'dyn';
      // A list of messages cannot be named inline; its elements are then dyn, still readable.
      return `list<${typeof item === 'string' ? item : 'dyn'}>`;
    }
    case 'object': {
      if (node.properties && Object.keys(node.properties).length > 0) {
        return Object.fromEntries(Object.entries(node.properties).map(([k, v]) => [k, celType(v, root)]));
      }
      const values = typeof node.additionalProperties === 'object' ? celType(node.additionalProperties, root) : 'dyn';
      return `map<string, ${typeof values === 'string' ? values : 'dyn'}>`;
    }
    default:
      return 'dyn';
  }
}

/** The fields of an object schema as CEL sees them (the output side: defaults applied, as the facts are). */
export function celSchemaOf(schema: z.ZodType): CelSchema {
  const json = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as JsonSchema;
  const type = celType(json, json);
  if (typeof type === 'string') throw new Error(`facts must be an object schema, not ${type}`);
  return type;
}

/** The incident as rules see it: every IncidentEvent field, each optional (a snapshot merged with the event). */
export const INCIDENT_SCHEMA: CelSchema = celSchemaOf(IncidentEvent);

/** What `window.<id>` holds for every window the config names. */
export const WINDOW_COUNTS_SCHEMA = { count: 'int', distinctCallers: 'int' } as const satisfies CelSchema;

/** `window` for a config: one field per configured window, so `window.storm_10m.cuont` or an unknown window fails. */
export function windowSchema(ids: readonly string[]): CelSchema {
  return Object.fromEntries(ids.map((id) => [id, { ...WINDOW_COUNTS_SCHEMA }]));
}
