import type { PublicStatus } from '../../orchestrator/public-status.ts';

/**
 * The status as a JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/): one item per open major
 * incident, the newest update as its text, and every update under `_mim_status` (a JSON Feed
 * extension: keys starting with an underscore are for their publisher), for portals and signage.
 * No URLs: the service does not trust a Host header to say its own address, and JSON Feed's
 * `home_page_url`, `feed_url` and item `url` are optional.
 */
export function renderJsonFeed(status: PublicStatus, title: string): string {
  return JSON.stringify({
    version: 'https://jsonfeed.org/version/1.1',
    title,
    _mim_status: { generated_at: status.generatedAt, open: status.incidents.length },
    items: status.incidents.map((i) => ({
      id: i.id,
      title: `${i.service}: ${i.title}`,
      content_text: i.updates[0]?.text ?? 'We are working on it. Updates will follow here.',
      date_published: i.startedAt,
      date_modified: i.updatedAt,
      tags: [i.service],
      _mim_status: { service: i.service, started_at: i.startedAt, updates: i.updates },
    })),
  });
}
