import { create } from 'xmlbuilder2';
import type { PublicStatus } from '../../orchestrator/public-status.ts';

/**
 * The status as an Atom feed (RFC 4287), built with xmlbuilder2, which escapes every text node:
 * a title holding `]]>`, `<script>` or `&` stays text. One entry per open major incident; its
 * summary is the newest update and its content every update, newest first, all `type="text"` so
 * no reader renders them as HTML. Links are relative (resolved against the feed's own address):
 * the service does not trust a Host header to say where it is.
 */

const ATOM = 'http://www.w3.org/2005/Atom';
/** Characters XML 1.0 cannot hold at all, even escaped (https://www.w3.org/TR/xml/#charsets). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what XML 1.0 cannot hold
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const xmlText = (text: string) => text.replace(NOT_XML, '\uFFFD');
const line = (text: string) => xmlText(text.replace(/\s+/g, ' ').trim());

export function renderAtom(status: PublicStatus, title: string): string {
  const feed = create({ version: '1.0', encoding: 'utf-8' }).ele(ATOM, 'feed');
  feed.ele('id').txt('urn:mim-bridge:status');
  feed.ele('title').txt(line(title));
  feed.ele('updated').txt(
    status.incidents
      .map((i) => i.updatedAt)
      .sort()
      .at(-1) ?? status.generatedAt,
  );
  feed.ele('link', { rel: 'self', href: '/status.atom', type: 'application/atom+xml' });
  feed.ele('link', { rel: 'alternate', href: '/status', type: 'text/html' });
  feed.ele('author').ele('name').txt(line(title));
  for (const i of status.incidents) {
    const entry = feed.ele('entry');
    entry.ele('id').txt(`urn:mim-bridge:status:${i.id}`);
    entry.ele('title', { type: 'text' }).txt(line(`${i.service}: ${i.title}`));
    entry.ele('published').txt(i.startedAt);
    entry.ele('updated').txt(i.updatedAt);
    entry.ele('link', { rel: 'alternate', href: `/status#mi-${i.id}`, type: 'text/html' });
    entry.ele('category', { term: line(i.service) });
    entry.ele('summary', { type: 'text' }).txt(xmlText(i.updates[0]?.text ?? 'We are working on it.'));
    const content = i.updates.map((u) => `${u.at}\n${u.text}`).join('\n\n');
    entry.ele('content', { type: 'text' }).txt(xmlText(content || 'We are working on it. Updates will follow here.'));
  }
  return feed.end({ prettyPrint: true });
}
