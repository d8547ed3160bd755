import type { Express, NextFunction, Request, Response } from 'express';
import { errorBody, issueNotFound, messageError, type JiraFailure } from './errors.ts';
import { parseJql, runJql } from './jql.ts';
import type { Account, JiraChange } from './model.ts';
import { MAJOR_INCIDENT_FIELD, SYSTEM_FIELDS } from './catalogue.ts';
import { renderComment, renderIssue, renderProject, renderTransitions } from './render.ts';
import type { JiraStore } from './store.ts';
import { isObject } from './validate.ts';

/**
 * REST v3 routes mim-bridge calls, behind basic auth (email + API token).
 * https://developer.atlassian.com/cloud/jira/platform/rest/v3/
 */

/** `POST /search/jql`: default and largest page sizes (enhanced search). */
const SEARCH_DEFAULT_MAX = 50;
const SEARCH_MAX = 5000;
const SEARCH_KEYS = new Set([
  'jql',
  'maxResults',
  'fields',
  'nextPageToken',
  'expand',
  'properties',
  'fieldsByKeys',
  'failFast',
  'reconcileIssues',
]);

export interface JiraCredential extends Account {
  readonly email: string;
  readonly apiToken: string;
}
export interface JiraRouteDeps {
  readonly store: JiraStore;
  readonly credentials: readonly JiraCredential[];
  readonly baseUrl: () => string;
  readonly afterWrite: (change: JiraChange) => void;
}

const fail = (res: Response, f: JiraFailure) => void res.status(f.status).json(errorBody(f));
const fieldsParam = (req: Request): string[] | undefined => {
  const v = req.query.fields;
  if (v === undefined) return undefined;
  return (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string');
};

function accountOf(req: Request, credentials: readonly JiraCredential[]): Account | undefined {
  const m = /^Basic (.+)$/i.exec(req.headers.authorization ?? '');
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const c = credentials.find((x) => x.email === decoded.slice(0, colon) && x.apiToken === decoded.slice(colon + 1));
  return c && { accountId: c.accountId, displayName: c.displayName, emailAddress: c.email };
}

export function mountJiraApi(app: Express, deps: JiraRouteDeps): void {
  const { store } = deps;
  const user = (res: Response) => res.locals.account as Account;
  const base = () => deps.baseUrl();

  app.use('/rest/api', (req, res, next) => {
    const account = accountOf(req, deps.credentials);
    if (!account) return fail(res, messageError(401, 'Client must be authenticated to access this resource.'));
    res.locals.account = account;
    next();
  });

  // GET /myself: the authenticated account (what `mim-bridge doctor` reads to test the credentials).
  app.get('/rest/api/3/myself', (_req, res) => {
    const { accountId, displayName, emailAddress } = user(res);
    res.json({
      self: `${base()}/rest/api/3/user?accountId=${accountId}`,
      accountId,
      accountType: 'atlassian',
      emailAddress,
      displayName,
      active: true,
    });
  });

  app.post('/rest/api/3/issue', (req, res) => {
    const out = store.createIssue(req.body, user(res));
    if (!out.ok) return fail(res, out);
    if (out.change) deps.afterWrite(out.change);
    res.status(201).json({ id: out.issue.id, key: out.issue.key, self: `${base()}/rest/api/3/issue/${out.issue.id}` });
  });

  app.get('/rest/api/3/issue/:key', (req, res) => {
    const issue = store.find(req.params.key);
    if (!issue) return fail(res, issueNotFound());
    res.json(renderIssue(base(), issue, store, 'v3', fieldsParam(req)));
  });

  app.put('/rest/api/3/issue/:key', (req, res) => {
    const out = store.editIssue(req.params.key, req.body, user(res));
    if (!out.ok) return fail(res, out);
    if (out.change) deps.afterWrite(out.change);
    res.status(204).end();
  });

  app.post('/rest/api/3/issue/:key/comment', (req, res) => {
    const out = store.addComment(req.params.key, req.body, user(res));
    if (!out.ok) return fail(res, out);
    if (out.change) deps.afterWrite(out.change);
    res.status(201).json(renderComment(base(), out.issue, out.comment, 'v3'));
  });

  app.get('/rest/api/3/issue/:key/transitions', (req, res) => {
    const issue = store.find(req.params.key);
    if (!issue) return fail(res, issueNotFound());
    const expand = typeof req.query.expand === 'string' ? req.query.expand.split(',') : [];
    const transitionId = typeof req.query.transitionId === 'string' ? req.query.transitionId : undefined;
    res.json(
      renderTransitions(base(), issue, {
        fields: expand.includes('transitions.fields'),
        ...(transitionId ? { transitionId } : {}),
      }),
    );
  });

  app.get('/rest/api/3/project/:key', (req, res) => {
    const project = store.project(req.params.key);
    if (!project) return fail(res, messageError(404, `No project could be found with key '${req.params.key}'.`));
    res.json(renderProject(base(), project.id, project.config));
  });

  // Every field of the site; JSM's major-incident field only where the site has a service project.
  app.get('/rest/api/3/field', (_req, res) => {
    res.json([...SYSTEM_FIELDS, ...(store.hasJsm() ? [MAJOR_INCIDENT_FIELD] : [])]);
  });

  app.post('/rest/api/3/issue/:key/transitions', (req, res) => {
    const out = store.doTransition(req.params.key, req.body, user(res));
    if (!out.ok) return fail(res, out);
    if (out.change) deps.afterWrite(out.change);
    res.status(204).end();
  });

  app.post('/rest/api/3/issue/:key/remotelink', (req, res) => {
    const out = store.upsertRemoteLink(req.params.key, req.body);
    if (!out.ok) return fail(res, out);
    res
      .status(out.created ? 201 : 200)
      .json({ id: out.id, self: `${base()}/rest/api/3/issue/${req.params.key}/remotelink/${out.id}` });
  });

  app.post('/rest/api/3/issueLink', (req, res) => {
    const out = store.linkIssues(req.body);
    if (!out.ok) return fail(res, out);
    res.status(201).end();
  });

  app.post('/rest/api/3/search/jql', (req, res) => {
    const body: unknown = req.body;
    if (!isObject(body) || typeof body.jql !== 'string')
      return fail(
        res,
        messageError(400, 'Unbounded JQL queries are not allowed here. Please add a search restriction to your query.'),
      );
    const unknown = Object.keys(body).find((k) => !SEARCH_KEYS.has(k));
    if (unknown) return fail(res, messageError(400, `Unrecognized field "${unknown}"`));
    const max = body.maxResults ?? SEARCH_DEFAULT_MAX;
    if (typeof max !== 'number' || !Number.isInteger(max) || max < 0)
      return fail(res, messageError(400, 'maxResults must be a non-negative integer.'));
    if (body.fields !== undefined && !(Array.isArray(body.fields) && body.fields.every((f) => typeof f === 'string')))
      return fail(res, messageError(400, 'fields must be an array of strings.'));
    const parsed = parseJql(body.jql);
    if (!parsed.ok) return fail(res, messageError(400, parsed.message));
    if (!parsed.jql.clauses.length)
      return fail(
        res,
        messageError(400, 'Unbounded JQL queries are not allowed here. Please add a search restriction to your query.'),
      );
    const offset =
      typeof body.nextPageToken === 'string' ? Number(Buffer.from(body.nextPageToken, 'base64url').toString()) || 0 : 0;
    const found = runJql(store.all(), parsed.jql);
    const page = found.slice(offset, offset + Math.min(max, SEARCH_MAX));
    const fields = body.fields as string[] | undefined;
    const isLast = offset + page.length >= found.length;
    res.json({
      issues: page.map((i) => {
        const r = renderIssue(base(), i, store, 'v3', fields);
        // Enhanced search returns only ids unless fields are asked for.
        return fields?.length ? r : { id: r.id, self: r.self, key: r.key };
      }),
      isLast,
      ...(isLast ? {} : { nextPageToken: Buffer.from(String(offset + page.length)).toString('base64url') }),
    });
  });

  app.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    const status = (err as { status?: number }).status ?? 500;
    fail(
      res,
      messageError(
        status,
        status === 400 ? 'Unexpected character in the request body: it is not JSON.' : 'Internal server error',
      ),
    );
  });
}
