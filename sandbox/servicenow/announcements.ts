import { randomBytes } from 'node:crypto';
import type { Express, Request, Response } from 'express';
import { errorBody, failure, notFound, type SnFailure } from './errors.ts';
import { parseEncodedQuery, runQuery } from './query.ts';
import type { SnRecord } from './table.ts';
import { snDateTime } from './time.ts';

/**
 * Service Portal announcements: `announcement`, its portals in `m2m_announcement_portal`, and the
 * read-only `announcement_style` and `sp_portal` it refers to. Column names are the base system's
 * ("Create an announcement",
 * https://www.servicenow.com/docs/r/platform-user-interface/service-portal/create-announcement.html,
 * and scripts that insert these tables). A real instance silently drops a column it does not know;
 * the simulator answers 400 naming it, so a misspelt column fails a test instead of vanishing.
 */

/** The columns a Table API write may set (system columns are the instance's). */
export const ANNOUNCEMENT_FIELDS: ReadonlySet<string> = new Set([
  'name',
  'active',
  'title',
  'summary',
  'from',
  'to',
  'display_style',
  'type',
  'glyph',
  'public',
  'roles',
  'click_target',
  'details_page',
  'details_url',
  'details_link_text',
  'dismiss_options',
]);
const PORTAL_LINK_FIELDS: ReadonlySet<string> = new Set(['announcement', 'sp_portal']);

/** The base system's two display styles and two portals, with fixed sys_ids so tests can name them. */
export const SIM_STYLES: Readonly<Record<string, string>> = {
  a1f0c0a0c3102300aa00bb00cc00dd01: 'Normal',
  a1f0c0a0c3102300aa00bb00cc00dd02: 'Urgent',
};
export const SIM_PORTALS: Readonly<Record<string, string>> = {
  b2e0c0a0c3102300aa00bb00cc00ee01: 'sp',
  b2e0c0a0c3102300aa00bb00cc00ee02: 'esc',
};

const DATE_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const BOOLEAN = new Set(['true', 'false']);

export interface AnnouncementTables {
  announcements(): readonly Readonly<SnRecord>[];
  /** The sp_portal sys_ids that show an announcement (none: every portal). */
  portalsOf(sysId: string): readonly string[];
}

type Outcome = { readonly ok: true; readonly row: SnRecord } | SnFailure;

const newSysId = () => randomBytes(16).toString('hex');

function scalar(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return value === null ? '' : undefined;
}

/** The body's columns, each checked; any column the table does not have is an error. */
function columns(body: unknown, allowed: ReadonlySet<string>, table: string): SnRecord | SnFailure {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return failure(400, 'Exception while reading request', 'The payload is not valid JSON.');
  const out: SnRecord = {};
  for (const [name, raw] of Object.entries(body)) {
    if (!allowed.has(name)) return failure(400, 'Invalid column', `'${name}' is not a column of ${table}`);
    const value = scalar(raw);
    if (value === undefined)
      return failure(400, 'Invalid value', `Field '${name}' takes a string, got ${JSON.stringify(raw)}`);
    out[name] = value;
  }
  return out;
}

export function mountAnnouncementApi(app: Express, now: () => Date): AnnouncementTables {
  const announcements = new Map<string, SnRecord>();
  const links = new Map<string, SnRecord>();
  const styles = Object.entries(SIM_STYLES).map(([sys_id, name]) => ({ sys_id, name }));
  const portals = Object.entries(SIM_PORTALS).map(([sys_id, url_suffix]) => ({
    sys_id,
    url_suffix,
    title: url_suffix,
  }));

  function checkAnnouncement(row: SnRecord): SnFailure | undefined {
    for (const f of ['from', 'to'])
      if (row[f] && !DATE_TIME.test(row[f]!))
        return failure(400, 'Invalid value', `'${row[f]}' is not a date-time (YYYY-MM-DD HH:mm:ss) for ${f}`);
    for (const f of ['active', 'public'])
      if (row[f] && !BOOLEAN.has(row[f]!)) return failure(400, 'Invalid value', `${f} takes true or false`);
    if (row.display_style && !Object.hasOwn(SIM_STYLES, row.display_style))
      return failure(400, 'Invalid reference', `display_style '${row.display_style}' is not an announcement_style`);
    return undefined;
  }

  function write(before: SnRecord | undefined, body: unknown, user: string): Outcome {
    const set = columns(body, ANNOUNCEMENT_FIELDS, 'announcement');
    if ('ok' in set) return set as SnFailure;
    const at = snDateTime(now());
    const row: SnRecord = before
      ? { ...before, ...set }
      : { active: 'true', from: '', to: '', display_style: '', ...set, sys_id: newSysId(), sys_created_on: at };
    const bad = checkAnnouncement(row);
    if (bad) return bad;
    Object.assign(row, { sys_updated_on: at, sys_updated_by: user });
    announcements.set(row.sys_id!, row);
    return { ok: true, row };
  }

  function linkPortal(body: unknown): Outcome {
    const set = columns(body, PORTAL_LINK_FIELDS, 'm2m_announcement_portal');
    if ('ok' in set) return set as SnFailure;
    if (!announcements.has(set.announcement ?? ''))
      return failure(400, 'Invalid reference', `announcement '${set.announcement ?? ''}' does not exist`);
    if (!Object.hasOwn(SIM_PORTALS, set.sp_portal ?? ''))
      return failure(400, 'Invalid reference', `sp_portal '${set.sp_portal ?? ''}' does not exist`);
    const row = { sys_id: newSysId(), announcement: set.announcement!, sp_portal: set.sp_portal! };
    links.set(row.sys_id, row);
    return { ok: true, row };
  }

  const param = (req: Request, name: string) => (typeof req.query[name] === 'string' ? req.query[name] : undefined);
  const answer = (res: Response, status: number, out: Outcome) =>
    out.ok ? void res.status(status).json({ result: out.row }) : void res.status(out.status).json(errorBody(out));
  const listing =
    (rows: () => readonly Readonly<SnRecord>[]) =>
    (req: Request, res: Response): void => {
      const parsed = parseEncodedQuery(param(req, 'sysparm_query') ?? '');
      if (!parsed.ok) return void res.status(400).json(errorBody(failure(400, 'Invalid query', parsed.detail)));
      const fields = param(req, 'sysparm_fields')
        ?.split(',')
        .map((f) => f.trim());
      const limit = Number(param(req, 'sysparm_limit') ?? 10_000);
      const pick = (r: Readonly<SnRecord>) =>
        fields ? Object.fromEntries(fields.filter((f) => Object.hasOwn(r, f)).map((f) => [f, r[f]])) : r;
      res.json({ result: runQuery(rows(), parsed.query).slice(0, limit).map(pick) });
    };
  const user = (res: Response) => String(res.locals.user ?? '');

  app.get(
    '/api/now/table/announcement',
    listing(() => [...announcements.values()]),
  );
  app.get('/api/now/table/announcement/:sysId', (req, res) => {
    const row = announcements.get(req.params.sysId);
    if (!row) return void res.status(404).json(errorBody(notFound()));
    res.json({ result: row });
  });
  app.post('/api/now/table/announcement', (req, res) => answer(res, 201, write(undefined, req.body, user(res))));
  app.patch('/api/now/table/announcement/:sysId', (req, res) => {
    const before = announcements.get(req.params.sysId);
    answer(res, 200, before ? write(before, req.body, user(res)) : notFound());
  });
  app.get(
    '/api/now/table/m2m_announcement_portal',
    listing(() => [...links.values()]),
  );
  app.post('/api/now/table/m2m_announcement_portal', (req, res) => answer(res, 201, linkPortal(req.body)));
  app.get(
    '/api/now/table/announcement_style',
    listing(() => styles),
  );
  app.get(
    '/api/now/table/sp_portal',
    listing(() => portals),
  );

  return {
    announcements: () => [...announcements.values()],
    portalsOf: (sysId) => [...links.values()].filter((l) => l.announcement === sysId).map((l) => l.sp_portal!),
  };
}

/** The tables this module serves, and which of them take writes. */
export const ANNOUNCEMENT_TABLES = {
  announcement: ['GET', 'POST', 'PATCH'],
  m2m_announcement_portal: ['GET', 'POST'],
  announcement_style: ['GET'],
  sp_portal: ['GET'],
} as const satisfies Record<string, readonly string[]>;
