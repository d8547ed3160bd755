import { z } from 'zod';
import type { AnnouncementRef, PortalAnnouncement, PortalAnnouncements } from '../capabilities.ts';
import { invalidInput } from '../connector-error.ts';
import { instrumentFor, type CallMeta, type ConnectorDeps } from '../instrument.ts';
import { createHttpClient, parseBody, send, type Boundary } from '../shared/axios-call.ts';
import { assertMarker, boundedKey } from '../shared/markers.ts';
import { SN_SYS_ID } from './outbound-mapping.ts';
import { ServicenowOutboundConfig, type SnFields } from './outbound-schema.ts';

/**
 * Service Portal announcements through the Table API. Column names are the base system's
 * (`announcement`: name, title, summary, active, from, to, display_style; the portals of one are
 * rows of `m2m_announcement_portal` {announcement, sp_portal}; `announcement_style.name`,
 * `sp_portal.url_suffix`), from ServiceNow's "Create an announcement" page
 * (https://www.servicenow.com/docs/r/platform-user-interface/service-portal/create-announcement.html)
 * and scripts that write the table (ServiceNow/ServiceNowDocs, a script include inserting
 * `announcement` and `m2m_announcement_portal` rows). docs/setup-servicenow.md#announcements.
 */

const ANNOUNCEMENT = '/api/now/table/announcement';
const PORTAL_LINK = '/api/now/table/m2m_announcement_portal';
const STYLE = '/api/now/table/announcement_style';
const PORTAL = '/api/now/table/sp_portal';

/** `announcement.name` is the internal title (not shown to users): it carries our marker. */
const NAME_MAX_LENGTH = 100;

const Row = z.looseObject({ sys_id: z.string().regex(SN_SYS_ID) });
const Single = z.looseObject({ result: Row });
const List = z.looseObject({ result: z.array(Row) });
const LinkList = z.looseObject({
  result: z.array(
    z.looseObject({
      sys_id: z.string(),
      sp_portal: z.union([z.string(), z.looseObject({ value: z.string() })]),
    }),
  ),
});

/** Glide date-time, UTC (the Table API reads values in the internal format unless told otherwise). */
export function snDateTime(d: Date): string {
  return d.toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * A portal may render the summary as HTML: angle brackets become their single-quotation look-alikes
 * so no text from a ticket can open a tag, whichever way it is shown.
 */
export function inertText(text: string): string {
  return text.replace(/</g, '\u2039').replace(/>/g, '\u203a');
}

const oneLine = (text: string) => inertText(text.replace(/\s+/g, ' ').trim());

export function createServicenowAnnouncements(
  rawConfig: ServicenowOutboundConfig,
  deps: ConnectorDeps,
): PortalAnnouncements {
  const config = ServicenowOutboundConfig.parse(rawConfig);
  const http = createHttpClient({
    baseURL: config.baseUrl,
    timeoutMs: config.timeoutMs,
    auth: { username: config.username, password: config.password },
    headers: { 'Content-Type': 'application/json' },
  });
  const boundary: Boundary = { vendor: 'servicenow', now: deps.now ?? Date.now };
  const call = instrumentFor(deps, 'servicenow');
  /** Names looked up once per process: portals and styles are set up by admins and rarely change. */
  const resolved = new Map<string, string>();

  async function list(url: string, query: string, fields = 'sys_id') {
    const res = await send(http, boundary, {
      method: 'GET',
      url,
      params: { sysparm_query: query, sysparm_fields: fields, sysparm_limit: '1' },
    });
    return parseBody('servicenow', List, res.data, res.status).result;
  }

  /** A sys_id as given, or the record whose `field` is `value` (a portal's URL suffix, a style's name). */
  async function sysIdOf(url: string, field: string, value: string, what: string): Promise<string> {
    if (SN_SYS_ID.test(value)) return value;
    // `^` would start another term of the encoded query; config refuses it, this is the second lock.
    if (/[\^=\r\n]/.test(value)) throw invalidInput('servicenow', `${what} must not contain ^, = or line breaks`);
    const key = `${url}|${value}`;
    const known = resolved.get(key);
    if (known) return known;
    const found = (await list(url, `${field}=${value}`))[0]?.sys_id;
    if (!found) throw invalidInput('servicenow', `no ${what} "${value}" (or no read access to it)`);
    resolved.set(key, found);
    return found;
  }

  async function find(marker: string): Promise<string | undefined> {
    assertMarker('servicenow', marker);
    return (await list(ANNOUNCEMENT, `name=${marker}`))[0]?.sys_id;
  }

  /** Adds the portal rows it lacks (a retry after a crash between the insert and the links finds them half made). */
  async function linkPortals(sysId: string, portals: readonly string[]): Promise<void> {
    const wanted = await Promise.all(portals.map((p) => sysIdOf(PORTAL, 'url_suffix', p, 'sp_portal')));
    if (!wanted.length) return;
    const res = await send(http, boundary, {
      method: 'GET',
      url: PORTAL_LINK,
      params: { sysparm_query: `announcement=${sysId}`, sysparm_fields: 'sys_id,sp_portal' },
    });
    const have = new Set(
      parseBody('servicenow', LinkList, res.data, res.status).result.map((r) =>
        typeof r.sp_portal === 'string' ? r.sp_portal : r.sp_portal.value,
      ),
    );
    for (const portal of new Set(wanted)) {
      if (have.has(portal)) continue;
      await send(http, boundary, {
        method: 'POST',
        url: PORTAL_LINK,
        data: { announcement: sysId, sp_portal: portal },
      });
    }
  }

  async function fields(a: Pick<PortalAnnouncement, 'title' | 'summary' | 'displayStyle'> & { to?: Date }) {
    const style = a.displayStyle ? await sysIdOf(STYLE, 'name', a.displayStyle, 'announcement_style') : undefined;
    const out: Record<string, string> = {
      title: oneLine(a.title),
      summary: inertText(a.summary),
      // Empty: no end; it shows until retired.
      to: a.to ? snDateTime(a.to) : '',
    };
    if (style) out.display_style = style;
    return out;
  }

  async function patch(sysId: string, data: SnFields): Promise<void> {
    if (!SN_SYS_ID.test(sysId)) throw invalidInput('servicenow', 'sys_id must be 32 lower-case hex characters');
    const res = await send(http, boundary, { method: 'PATCH', url: `${ANNOUNCEMENT}/${sysId}`, data });
    parseBody('servicenow', Single, res.data, res.status);
  }

  return {
    kind: 'announcements',
    vendor: 'servicenow',
    markerFor: (incidentId, audienceId) =>
      boundedKey(assertMarker('servicenow', `mim-${incidentId}.${audienceId}`), NAME_MAX_LENGTH),
    find: (marker, meta: CallMeta) => call('findAnnouncement', meta, () => find(marker)),
    publish: (marker, a, meta) =>
      call('publishAnnouncement', meta, async (log): Promise<AnnouncementRef> => {
        const data = { ...(await fields(a)), from: snDateTime(a.from), active: 'true' };
        const existing = await find(marker);
        if (existing) {
          await patch(existing, data);
          await linkPortals(existing, a.portals);
          return { sysId: existing, created: false };
        }
        const res = await send(http, boundary, { method: 'POST', url: ANNOUNCEMENT, data: { ...data, name: marker } });
        const sysId = parseBody('servicenow', Single, res.data, res.status).result.sys_id;
        log.info({ sysId }, 'announcement created');
        await linkPortals(sysId, a.portals);
        return { sysId, created: true };
      }),
    retire: (sysId, final, meta) =>
      call('retireAnnouncement', meta, async () => {
        await patch(sysId, await fields(final));
      }),
  };
}
