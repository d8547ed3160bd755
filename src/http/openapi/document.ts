import { z } from 'zod';
import { SESSION_COOKIE } from '../admin/session-routes.ts';
import { adminOperations } from './admin-operations.ts';
import { ErrorAnswer } from './common.ts';
import type { Answer, Operation } from './registry.ts';
import { statusOperations } from './status-operations.ts';
import { publicOperations, webhookOperations } from './webhook-operations.ts';

type Json = Record<string, unknown>;

export const ALL_OPERATIONS: readonly Operation[] = [
  ...publicOperations,
  ...statusOperations,
  ...webhookOperations,
  ...adminOperations,
];

/**
 * JSON Schema 2020-12 is OpenAPI 3.1's schema dialect. Requests are described as they are sent
 * (`io: 'input'`: defaults optional, coerced query numbers as numbers); transforms and the like
 * that JSON Schema cannot say become `{}` rather than failing the document.
 */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Json {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
  }) as Json;
  return rest;
}

function parameters(op: Operation): Json[] {
  const path = [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  const query = op.query
    ? Object.entries((jsonSchema(op.query, 'input').properties ?? {}) as Record<string, Json>).map(
        ([name, schema]) => ({
          name,
          in: 'query',
          required: ((jsonSchema(op.query!, 'input').required ?? []) as string[]).includes(name),
          schema,
        }),
      )
    : [];
  const headers = (op.headers ?? []).map((h) => ({
    name: h.name,
    in: 'header',
    required: h.required,
    description: h.description,
    schema: { type: 'string' },
  }));
  return [...path, ...query, ...headers];
}

function response(answer: Answer, refs: Map<z.ZodType, string>): Json {
  if (!answer.schema)
    return {
      description: answer.description,
      ...(answer.contentType ? { content: { [answer.contentType]: {} } } : {}),
    };
  const ref = refs.get(answer.schema);
  const schema = ref ? { $ref: `#/components/schemas/${ref}` } : jsonSchema(answer.schema, 'output');
  return { description: answer.description, content: { [answer.contentType ?? 'application/json']: { schema } } };
}

const SECURITY: Record<Operation['access'], Json[] | undefined> = {
  public: [],
  signature: [],
  session: [{ adminSession: [] }],
  admin: [{ adminToken: [] }, { adminSession: [] }],
};

function operationObject(op: Operation, refs: Map<z.ZodType, string>): Json {
  const role = op.access === 'admin' ? op.role : undefined;
  const params = parameters(op);
  const camelPath = op.path.replace(/[{}]/g, '').replace(/(^|[/.-])(\w)/g, (_m, _s, c: string) => c.toUpperCase());
  return {
    operationId: `${op.method}${camelPath}`,
    summary: op.summary,
    tags: [op.tag],
    ...(role ? { description: `Needs the \`${role}\` role (or higher).`, 'x-required-role': role } : {}),
    security: SECURITY[op.access],
    ...(params.length ? { parameters: params } : {}),
    ...(op.body
      ? {
          requestBody: {
            required: op.body.required ?? true,
            content: { 'application/json': { schema: { $ref: `#/components/schemas/${op.body.name}` } } },
          },
        }
      : {}),
    responses: Object.fromEntries(Object.entries(op.responses).map(([status, a]) => [status, response(a, refs)])),
  };
}

/** The OpenAPI 3.1 document, built only from the operations the route modules declare. */
export function openApiDocument(operations: readonly Operation[] = ALL_OPERATIONS, version = '0.1.0'): Json {
  const schemas: Record<string, Json> = { Error: jsonSchema(ErrorAnswer, 'output') };
  const refs = new Map<z.ZodType, string>([[ErrorAnswer, 'Error']]);
  const paths: Record<string, Record<string, Json>> = {};
  for (const op of operations) {
    if (op.body) {
      const existing = schemas[op.body.name];
      const schema = jsonSchema(op.body.schema, 'input');
      if (existing && JSON.stringify(existing) !== JSON.stringify(schema))
        throw new Error(`two different request schemas named ${op.body.name}`);
      schemas[op.body.name] = schema;
    }
    paths[op.path] ??= {};
    const item = paths[op.path]!;
    if (item[op.method]) throw new Error(`${op.method.toUpperCase()} ${op.path} is declared twice`);
    item[op.method] = operationObject(op, refs);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'mim-bridge',
      version,
      description:
        'Major Incident Management across ServiceNow, Jira Service Management, PagerDuty, Slack, Teams and ' +
        'email: the vendor webhooks and the admin API.',
    },
    tags: [...new Set(operations.map((o) => o.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas,
      securitySchemes: {
        adminToken: {
          type: 'http',
          scheme: 'bearer',
          description:
            'An admin token (MIM_ADMIN_TOKEN, or one of MIM_ADMIN_TOKENS by its hash). Roles: viewer < operator ' +
            '< admin.',
        },
        adminSession: {
          type: 'apiKey',
          in: 'cookie',
          name: SESSION_COOKIE,
          description:
            'The browser session from POST /admin/session; it carries the role of the token it was opened with. ' +
            'Changes made with it alone need Sec-Fetch-Site: same-origin or a matching Origin. Named ' +
            'mim_admin_session, without Secure, under MIM_ADMIN_COOKIE_INSECURE.',
        },
      },
    },
  };
}
