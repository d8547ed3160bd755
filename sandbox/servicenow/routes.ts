import type { Express, NextFunction, Request, Response } from 'express';
import { ANNOUNCEMENT_TABLES, mountAnnouncementApi, type AnnouncementTables } from './announcements.ts';
import { errorBody, failure, notFound, type SnFailure } from './errors.ts';
import { parseEncodedQuery, runQuery } from './query.ts';
import { renderRecord, type DisplayMode, type RenderOptions } from './render.ts';
import { userSysId } from './promotion.ts';
import type { IncidentTable, Write, WriteOutcome } from './table.ts';

/**
 * Table API routes for `incident`, behind basic auth (the announcement tables: announcements.ts).
 * https://www.servicenow.com/docs/bundle/zurich-api-reference/page/integrate/inbound-rest/concept/c_TableAPI.html
 */

/** The Table API's default page size when `sysparm_limit` is absent. */
const DEFAULT_LIMIT = 10_000;

export interface RouteDeps {
  readonly table: IncidentTable;
  readonly users: Readonly<Record<string, string>>;
  readonly baseUrl: () => string;
  readonly afterWrite: (write: Write) => void;
  readonly now: () => Date;
}

const send = (res: Response, f: SnFailure) => void res.status(f.status).json(errorBody(f));
const param = (req: Request, name: string): string | undefined => {
  const v = req.query[name];
  return typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined;
};

function renderOptions(req: Request, baseUrl: string): RenderOptions {
  const display = param(req, 'sysparm_display_value');
  const fields = param(req, 'sysparm_fields');
  return {
    display: (display === 'true' || display === 'all' ? display : 'false') as DisplayMode,
    excludeLinks: param(req, 'sysparm_exclude_reference_link') === 'true',
    ...(fields
      ? {
          fields: fields
            .split(',')
            .map((f) => f.trim())
            .filter(Boolean),
        }
      : {}),
    baseUrl,
  };
}

function userOf(req: Request, users: RouteDeps['users']): string | undefined {
  const m = /^Basic (.+)$/i.exec(req.headers.authorization ?? '');
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const [name, password] = [decoded.slice(0, colon), decoded.slice(colon + 1)];
  return colon > 0 && Object.hasOwn(users, name) && users[name] === password ? name : undefined;
}

const nonNegative = (text: string | undefined, fallback: number) => {
  const n = Number(text);
  return text !== undefined && Number.isInteger(n) && n >= 0 ? n : fallback;
};

export function mountTableApi(app: Express, deps: RouteDeps): AnnouncementTables {
  const { table } = deps;
  const user = (res: Response) => res.locals.user as string;

  app.use('/api/now', (req, res, next) => {
    const name = userOf(req, deps.users);
    if (!name)
      return void res
        .status(401)
        .set('WWW-Authenticate', 'BASIC realm="Service-now"')
        .json(errorBody(failure(401, 'User Not Authenticated', 'Required to provide Auth information')));
    res.locals.user = name;
    next();
  });
  app.use('/api/now/table/:table', (req, res, next) => {
    if (req.params.table === 'incident' || (req.params.table === 'sys_user' && req.method === 'GET')) return next();
    const methods: readonly string[] | undefined =
      ANNOUNCEMENT_TABLES[req.params.table as keyof typeof ANNOUNCEMENT_TABLES];
    if (methods?.includes(req.method)) return next();
    send(res, failure(400, `Invalid table ${req.params.table}`, ''));
  });

  const answer = (res: Response, req: Request, status: number, out: WriteOutcome) => {
    if (!out.ok) return send(res, out);
    deps.afterWrite(out.write);
    res.status(status).json({ result: renderRecord(table, out.write.record, renderOptions(req, deps.baseUrl())) });
  };

  app.post('/api/now/table/incident', (req, res) => answer(res, req, 201, table.insert(req.body, user(res))));
  app.patch('/api/now/table/incident/:sysId', (req, res) =>
    answer(res, req, 200, table.update(req.params.sysId, req.body, user(res))),
  );
  app.put('/api/now/table/incident/:sysId', (req, res) =>
    answer(res, req, 200, table.update(req.params.sysId, req.body, user(res))),
  );

  app.get('/api/now/table/incident/:sysId', (req, res) => {
    const record = table.get(req.params.sysId);
    if (!record) return send(res, notFound());
    res.json({ result: renderRecord(table, record, renderOptions(req, deps.baseUrl())) });
  });

  app.get('/api/now/table/incident', (req, res) => {
    const parsed = parseEncodedQuery(param(req, 'sysparm_query') ?? '');
    if (!parsed.ok) return send(res, failure(400, 'Invalid query', parsed.detail));
    const found = runQuery(table.all(), parsed.query);
    const offset = nonNegative(param(req, 'sysparm_offset'), 0);
    const limit = nonNegative(param(req, 'sysparm_limit'), DEFAULT_LIMIT);
    const opts = renderOptions(req, deps.baseUrl());
    if (param(req, 'sysparm_no_count') !== 'true') res.set('X-Total-Count', String(found.length));
    res.json({ result: found.slice(offset, offset + limit).map((r) => renderRecord(table, r, opts)) });
  });

  // Read-only users: every basic-auth account, so the integration user can look up its own sys_id.
  app.get('/api/now/table/sys_user', (req, res) => {
    const parsed = parseEncodedQuery(param(req, 'sysparm_query') ?? '');
    if (!parsed.ok) return send(res, failure(400, 'Invalid query', parsed.detail));
    const rows = Object.keys(deps.users).map((name) => ({ sys_id: userSysId(name), user_name: name, name }));
    const fields = param(req, 'sysparm_fields')
      ?.split(',')
      .map((f) => f.trim());
    const limit = nonNegative(param(req, 'sysparm_limit'), DEFAULT_LIMIT);
    const pick = (row: Record<string, string>) =>
      fields ? Object.fromEntries(fields.filter((f) => Object.hasOwn(row, f)).map((f) => [f, row[f]])) : row;
    res.json({ result: runQuery(rows, parsed.query).slice(0, limit).map(pick) });
  });

  const announcements = mountAnnouncementApi(app, deps.now);

  app.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    const status = (err as { status?: number }).status ?? 500;
    send(
      res,
      status === 400
        ? failure(400, 'Exception while reading request', 'The payload is not valid JSON.')
        : failure(status, 'Server error', String(err)),
    );
  });
  return announcements;
}
