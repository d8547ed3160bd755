import type { Announcement } from '../config/files/schema-audiences.ts';
import type { PortalAnnouncements } from '../connectors/capabilities.ts';
import type { ActionExecutor } from '../domain/action.ts';
import { durationMs } from '../lib/duration.ts';
import { renderTemplate } from '../templates/index.ts';
import { headline, messageVars, type MessageContext } from './message-vars.ts';

export interface AnnouncementExecutorDeps extends MessageContext {
  readonly announcements: PortalAnnouncements;
  /** The audience's `announcement` block in the active config (read per job: reloads apply). */
  readonly announcementOf: (audienceId: string) => Announcement | undefined;
  readonly now?: () => Date;
}

export const ANNOUNCEMENT_ACTIONS: ReadonlySet<string> = new Set([
  'servicenow.announce',
  'servicenow.retire_announcement',
]);

/**
 * The Service Portal announcement of one audience for one major incident. `announce` publishes
 * the business template's text while the major incident is declared; a job that runs after it
 * resolved (a late cadence round) does nothing, so it cannot bring back a retired banner.
 * `retire_announcement` replaces the text with the final message and ends it `keepAfterResolve`
 * after the resolution.
 */
export function announcementExecutor(deps: AnnouncementExecutorDeps): ActionExecutor {
  const now = deps.now ?? (() => new Date());
  return async (job, { jobId }) => {
    if (job.do !== 'servicenow.announce' && job.do !== 'servicenow.retire_announcement')
      return { detail: { skipped: `${job.do} is not an announcement` } };
    const mi = await deps.load(job.majorIncidentId);
    if (!mi) return { orphaned: true };
    // End users are not part of a drill: a portal banner would reach everyone, so exercises are never announced.
    if (mi.exercise === true) return { detail: { skipped: 'an exercise is not announced to end users' } };
    const audience = job.audience ?? '';
    const block = deps.announcementOf(audience);
    if (!block) return { detail: { audience, skipped: 'the audience has no announcement block' } };
    const meta = { incidentId: mi.id, jobId };
    const marker = deps.announcements.markerFor(mi.id, audience);
    const update = await deps.latestUpdate?.(mi.id);
    const vars = messageVars(mi, deps.service(mi.serviceId), update);
    const render = (template: string) => renderTemplate(deps.templates(), template, 'business', vars, 'text');
    const title = headline(mi, job.params.template);
    if (job.do === 'servicenow.announce') {
      if (mi.state !== 'declared') return { detail: { audience, skipped: `the major incident is ${mi.state}` } };
      const ref = await deps.announcements.publish(
        marker,
        {
          title,
          summary: render(job.params.template),
          from: new Date(mi.declaredAt ?? mi.createdAt),
          ...(block.displayStyle ? { displayStyle: block.displayStyle } : {}),
          portals: block.portals,
        },
        meta,
      );
      return { detail: { audience, sysId: ref.sysId, created: ref.created } };
    }
    const sysId = await deps.announcements.find(marker, meta);
    if (!sysId) return { detail: { audience, skipped: 'no announcement to retire' } };
    // From the resolution (a cancelled one has none: from now); a retire that runs later than that ends it at once.
    const from = mi.resolvedAt ? Date.parse(mi.resolvedAt) : now().getTime();
    const to = new Date(from + durationMs(block.keepAfterResolve));
    await deps.announcements.retire(sysId, { title, summary: render(job.params.template), to }, meta);
    return { detail: { audience, sysId, to: to.toISOString() } };
  };
}

/** The ServiceNow executor with the announcement actions routed to their own. */
export function withAnnouncements(records: ActionExecutor, announcements: ActionExecutor): ActionExecutor {
  return (job, meta) => (ANNOUNCEMENT_ACTIONS.has(job.do) ? announcements(job, meta) : records(job, meta));
}
