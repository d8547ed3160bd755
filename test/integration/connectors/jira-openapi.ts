import { readFileSync } from 'node:fs';
import { OpenAPIBackend, type Request } from 'openapi-backend';

/**
 * Validates the requests our Jira connector sends against Atlassian's published OpenAPI
 * document (test/fixtures/jira/platform-v3.openapi.trimmed.json: the paths we call, see its source note),
 * so a body jira.js or we get wrong fails here, not in production.
 */
const SPEC = new URL('../../fixtures/jira/platform-v3.openapi.trimmed.json', import.meta.url);

let api: OpenAPIBackend | undefined;

async function backend(): Promise<OpenAPIBackend> {
  if (api) return api;
  const definition = JSON.parse(readFileSync(SPEC, 'utf8'));
  const created = new OpenAPIBackend({
    definition,
    quick: true,
    validate: true,
    strict: false,
    // The document uses formats ajv does not ship (uri, date-time, int64 …); checking them is not the point here.
    ajvOpts: { logger: false, validateFormats: false },
  });
  await created.init();
  api = created;
  return created;
}

export interface SentRequest {
  readonly method: string;
  readonly path: string;
  readonly body?: unknown;
  readonly query?: Record<string, string | string[]>;
}

/**
 * `POST /rest/api/3/search/jql` is missing from the stored document (it predates the enhanced
 * search); its body is validated against `POST /rest/api/3/search`, whose `SearchRequestBean`
 * (additionalProperties: false) names every field we send (jql, maxResults, fields).
 */
const STAND_INS: Readonly<Record<string, string>> = { '/rest/api/3/search/jql': '/rest/api/3/search' };

/** Returns ajv's errors, or `[]` when the request matches the operation. */
export async function openApiErrors(sent: SentRequest): Promise<unknown[]> {
  const request: Request = {
    method: sent.method.toLowerCase(),
    path: STAND_INS[sent.path] ?? sent.path,
    body: sent.body,
    query: sent.query ?? {},
    headers: { 'content-type': 'application/json', accept: 'application/json' },
  };
  const result = (await backend()).validateRequest(request);
  return result.valid ? [] : (result.errors ?? ['invalid']);
}
